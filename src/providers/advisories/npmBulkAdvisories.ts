import semver from 'semver';
import { z } from 'zod';
import { type Advisory, type AdvisoryService, type AdvisorySeverity, packageKey, type PackageVersion } from '../../core/security/advisories';
import { advisoryJson, type AdvisoryHttpOptions } from './advisoryHttp';

/**
 * The npm registry's bulk advisory endpoint, the one `npm audit` posts to:
 * `POST /-/npm/v1/security/advisories/bulk` with `{ name: [versions] }`, answered with the
 * advisories of each name that affect any of those versions. We filter per version ourselves.
 */
const BulkAdvisorySchema = z.object({
  id: z.number(),
  url: z.string(),
  title: z.string(),
  severity: z.enum(['critical', 'high', 'moderate', 'low', 'info']),
  vulnerable_versions: z.string(),
  cwe: z.array(z.string()).optional(),
  cvss: z.object({ score: z.number(), vectorString: z.string().nullable() }).optional(),
});
export const BulkResponseSchema = z.record(z.string(), z.array(BulkAdvisorySchema));
export type BulkAdvisory = z.infer<typeof BulkAdvisorySchema>;

const SEVERITY: Readonly<Record<BulkAdvisory['severity'], AdvisorySeverity>> = { critical: 'critical', high: 'high', moderate: 'medium', low: 'low', info: 'low' };
/** One request carries at most this many names (npm audit sends the whole tree; we keep bodies modest). */
const NAMES_PER_REQUEST = 500;

export class NpmBulkAdvisories implements AdvisoryService {
  readonly name = 'the npm registry (bulk advisories)';
  readonly ecosystems = ['npm'] as const;

  constructor(private readonly options: AdvisoryHttpOptions) {}

  async lookup(packages: readonly PackageVersion[], signal?: AbortSignal): Promise<ReadonlyMap<string, readonly Advisory[]>> {
    const byName = new Map<string, Set<string>>();
    for (const p of packages) if (p.ecosystem === 'npm') (byName.get(p.name) ?? byName.set(p.name, new Set()).get(p.name)!).add(p.version);
    const names = [...byName.keys()].sort();
    const out = new Map<string, Advisory[]>();
    for (let i = 0; i < names.length; i += NAMES_PER_REQUEST) {
      const body = Object.fromEntries(names.slice(i, i + NAMES_PER_REQUEST).map((n) => [n, [...byName.get(n)!].sort()]));
      const answer = await advisoryJson(this.name, this.options, '/-/npm/v1/security/advisories/bulk', { method: 'POST', body }, BulkResponseSchema, signal);
      for (const [name, advisories] of Object.entries(answer)) {
        for (const version of byName.get(name) ?? []) {
          const hits = advisories.filter((a) => semver.satisfies(version, a.vulnerable_versions, { includePrerelease: true })).map((a) => toAdvisory(a, version));
          if (hits.length) out.set(packageKey({ ecosystem: 'npm', name, version }), hits);
        }
      }
    }
    return out;
  }
}

function toAdvisory(a: BulkAdvisory, version: string): Advisory {
  const ghsa = /GHSA(-[23456789cfghjmpqrvwx]{4}){3}/.exec(a.url)?.[0];
  return {
    id: ghsa ?? `npm-${a.id}`,
    aliases: ghsa ? [`npm-${a.id}`] : [],
    title: a.title,
    severity: SEVERITY[a.severity],
    url: a.url,
    vulnerable: a.vulnerable_versions,
    fixedIn: smallestFix(version, a.vulnerable_versions),
  };
}

/**
 * The smallest version above `version` that the range no longer covers, from the range's own upper
 * bounds (`<4.17.21` → 4.17.21). npm audit asks the registry for every published version; without
 * that list the bounds are what the advisory itself says is fixed.
 */
export function smallestFix(version: string, vulnerable: string): string | undefined {
  let range: semver.Range;
  try {
    range = new semver.Range(vulnerable, { includePrerelease: true });
  } catch {
    return undefined;
  }
  const bounds = range.set.flat().filter((c) => c.operator === '<').map((c) => c.semver.version);
  const candidates = bounds.filter((b) => semver.gt(b, version) && !semver.satisfies(b, range, { includePrerelease: true })).sort(semver.compare);
  return candidates[0];
}

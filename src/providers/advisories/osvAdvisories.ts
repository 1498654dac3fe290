import { z } from 'zod';
import { type Advisory, type AdvisoryService, type AdvisorySeverity, type Ecosystem, normalisePyPiName, packageKey, type PackageVersion } from '../../core/security/advisories';
import { compareVersions } from '../../core/security/versions';
import { advisoryJson, type AdvisoryHttpOptions } from './advisoryHttp';

/**
 * OSV (osv.dev): `POST /v1/querybatch` with one query per package version answers the ids of the
 * vulnerabilities affecting each; `GET /v1/vulns/{id}` gives each record (OSV schema: affected
 * ranges with `introduced`/`fixed` events, GHSA's severity in database_specific).
 */
const BatchResponseSchema = z.object({
  results: z.array(z.object({ vulns: z.array(z.object({ id: z.string(), modified: z.string().optional() })).optional(), next_page_token: z.string().optional() })),
});
const EventSchema = z.object({ introduced: z.string().optional(), fixed: z.string().optional(), last_affected: z.string().optional(), limit: z.string().optional() });
export const OsvVulnSchema = z.object({
  id: z.string(),
  summary: z.string().optional(),
  details: z.string().optional(),
  aliases: z.array(z.string()).optional(),
  severity: z.array(z.object({ type: z.string(), score: z.string() })).optional(),
  affected: z
    .array(
      z.object({
        package: z.object({ ecosystem: z.string(), name: z.string() }).optional(),
        ranges: z.array(z.object({ type: z.string(), events: z.array(EventSchema) })).optional(),
        versions: z.array(z.string()).optional(),
      }),
    )
    .optional(),
  database_specific: z.object({ severity: z.string().optional() }).loose().optional(),
});
export type OsvVuln = z.infer<typeof OsvVulnSchema>;

const QUERIES_PER_BATCH = 1000;
const GHSA_SEVERITY: Readonly<Record<string, AdvisorySeverity>> = { CRITICAL: 'critical', HIGH: 'high', MODERATE: 'medium', MEDIUM: 'medium', LOW: 'low' };

export class OsvAdvisories implements AdvisoryService {
  readonly name = 'OSV (osv.dev)';
  readonly ecosystems: readonly Ecosystem[] = ['PyPI', 'npm'];

  constructor(private readonly options: AdvisoryHttpOptions) {}

  async lookup(packages: readonly PackageVersion[], signal?: AbortSignal): Promise<ReadonlyMap<string, readonly Advisory[]>> {
    const wanted = packages.filter((p) => this.ecosystems.includes(p.ecosystem));
    const idsFor = new Map<string, string[]>();
    for (let i = 0; i < wanted.length; i += QUERIES_PER_BATCH) {
      const chunk = wanted.slice(i, i + QUERIES_PER_BATCH);
      const answer = await advisoryJson(this.name, this.options, '/v1/querybatch', { method: 'POST', body: { queries: chunk.map((p) => ({ package: { name: p.name, ecosystem: p.ecosystem }, version: p.version })) } }, BatchResponseSchema, signal);
      chunk.forEach((p, j) => {
        const ids = answer.results[j]?.vulns?.map((v) => v.id) ?? [];
        if (ids.length) idsFor.set(packageKey(p), ids);
      });
    }
    const records = new Map<string, OsvVuln>();
    for (const id of new Set([...idsFor.values()].flat())) {
      records.set(id, await advisoryJson(this.name, this.options, `/v1/vulns/${encodeURIComponent(id)}`, { method: 'GET' }, OsvVulnSchema, signal));
    }
    const out = new Map<string, Advisory[]>();
    for (const p of wanted) {
      const ids = idsFor.get(packageKey(p));
      if (ids) out.set(packageKey(p), ids.map((id) => toAdvisory(records.get(id)!, p)));
    }
    return out;
  }
}

const sameName = (p: PackageVersion, name: string): boolean => (p.ecosystem === 'PyPI' ? normalisePyPiName(name) === normalisePyPiName(p.name) : name === p.name);

export function toAdvisory(v: OsvVuln, p: PackageVersion): Advisory {
  const ghsa = v.id.startsWith('GHSA-') ? v.id : v.aliases?.find((a) => a.startsWith('GHSA-'));
  const ranges = (v.affected ?? []).filter((a) => a.package && a.package.ecosystem === p.ecosystem && sameName(p, a.package.name)).flatMap((a) => a.ranges ?? []);
  const spans: string[] = [];
  let fixedIn: string | undefined;
  for (const range of ranges.filter((r) => r.type === 'ECOSYSTEM' || r.type === 'SEMVER')) {
    let introduced: string | undefined;
    for (const e of range.events) {
      if (e.introduced !== undefined) introduced = e.introduced;
      if (e.fixed !== undefined && introduced !== undefined) {
        spans.push(introduced === '0' ? `<${e.fixed}` : `>=${introduced} <${e.fixed}`);
        const inside = (introduced === '0' || compareVersions(p.version, introduced) >= 0) && compareVersions(p.version, e.fixed) < 0;
        if (inside && (fixedIn === undefined || compareVersions(e.fixed, fixedIn) < 0)) fixedIn = e.fixed;
        introduced = undefined;
      }
    }
    if (introduced !== undefined) spans.push(introduced === '0' ? '*' : `>=${introduced}`);
  }
  const severity = GHSA_SEVERITY[(v.database_specific?.severity ?? '').toUpperCase()] ?? 'unknown';
  return {
    id: ghsa ?? v.id,
    aliases: [v.id, ...(v.aliases ?? [])].filter((a) => a !== (ghsa ?? v.id)),
    title: v.summary ?? v.details?.split('\n')[0]?.slice(0, 200) ?? v.id,
    severity,
    url: ghsa ? `https://github.com/advisories/${ghsa}` : `https://osv.dev/vulnerability/${encodeURIComponent(v.id)}`,
    vulnerable: spans.join(' || ') || 'see the advisory',
    fixedIn,
  };
}

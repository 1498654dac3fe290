import semver from 'semver';
import { normalisePyPiName } from '../../core/security/advisories';
import { compareVersions } from '../../core/security/versions';
import lodash from './data/GHSA-35jh-r3h4-6jhm.json';
import pyyaml from './data/GHSA-8q59-q68h-6hv4.json';
import requests from './data/GHSA-x84v-xcm2-53pg.json';
import minimist from './data/GHSA-xvch-5gv4-984h.json';

/**
 * Recorded advisories (OSV records from github/advisory-database, references trimmed) that both
 * advisory stand-ins serve, each in its own service's wire format. Tests and the sandbox add
 * their own with `add`.
 */
export interface OsvRecord {
  readonly id: string;
  readonly summary?: string;
  readonly details?: string;
  readonly aliases?: readonly string[];
  readonly modified: string;
  readonly affected?: readonly {
    readonly package?: { readonly ecosystem: string; readonly name: string };
    readonly ranges?: readonly { readonly type: string; readonly events: readonly { readonly introduced?: string; readonly fixed?: string; readonly last_affected?: string }[] }[];
  }[];
  readonly severity?: readonly { readonly type: string; readonly score: string }[];
  readonly database_specific?: { readonly severity?: string; readonly cwe_ids?: readonly string[] };
  readonly [key: string]: unknown;
}

export const RECORDED_ADVISORIES: readonly OsvRecord[] = [lodash, minimist, requests, pyyaml];

/**
 * npm's bulk answer carries npm's own numeric advisory id, which the OSV record does not; the
 * stand-in numbers them from this base in the order they were added.
 */
const NPM_ID_BASE = 1_090_000;

export class AdvisoryDatabase {
  private readonly records: OsvRecord[] = [];

  constructor(records: readonly OsvRecord[] = RECORDED_ADVISORIES) {
    records.forEach((r) => this.add(r));
  }

  add(record: OsvRecord): void {
    this.records.push(record);
  }

  get(id: string): OsvRecord | undefined {
    return this.records.find((r) => r.id === id || r.aliases?.includes(id));
  }

  /** OSV's answer for one query: the records whose ranges cover the version. */
  affecting(ecosystem: string, name: string, version: string): OsvRecord[] {
    return this.records.filter((r) => spansOf(r, ecosystem, name).some((s) => covers(ecosystem, s, version)));
  }

  /** npm's bulk answer for one name: advisories whose range covers any of the versions, npm-shaped. */
  npmBulk(name: string, versions: readonly string[]): NpmBulkAdvisory[] {
    const out: NpmBulkAdvisory[] = [];
    this.records.forEach((r, index) => {
      const spans = spansOf(r, 'npm', name);
      if (!spans.length || !versions.some((v) => spans.some((s) => covers('npm', s, v)))) return;
      const severity = (r.database_specific?.severity ?? 'MODERATE').toLowerCase();
      out.push({
        id: NPM_ID_BASE + index,
        url: `https://github.com/advisories/${r.id}`,
        title: r.summary ?? r.id,
        severity: (['critical', 'high', 'moderate', 'low'].includes(severity) ? severity : 'moderate') as NpmBulkAdvisory['severity'],
        vulnerable_versions: spans.map((s) => (s.introduced === '0' ? `<${s.fixed}` : `>=${s.introduced} <${s.fixed}`)).join(' || '),
        cwe: [...(r.database_specific?.cwe_ids ?? [])],
        cvss: { score: 0, vectorString: r.severity?.find((s) => s.type.startsWith('CVSS'))?.score ?? null },
      });
    });
    return out;
  }
}

export interface NpmBulkAdvisory {
  readonly id: number;
  readonly url: string;
  readonly title: string;
  readonly severity: 'critical' | 'high' | 'moderate' | 'low';
  readonly vulnerable_versions: string;
  readonly cwe: readonly string[];
  readonly cvss: { readonly score: number; readonly vectorString: string | null };
}

interface Span {
  readonly introduced: string;
  readonly fixed: string;
}

function spansOf(r: OsvRecord, ecosystem: string, name: string): Span[] {
  const same = (n: string): boolean => (ecosystem === 'PyPI' ? normalisePyPiName(n) === normalisePyPiName(name) : n === name);
  const spans: Span[] = [];
  for (const a of r.affected ?? []) {
    if (!a.package || a.package.ecosystem !== ecosystem || !same(a.package.name)) continue;
    for (const range of a.ranges ?? []) {
      let introduced: string | undefined;
      for (const e of range.events) {
        if (e.introduced !== undefined) introduced = e.introduced;
        if (e.fixed !== undefined && introduced !== undefined) {
          spans.push({ introduced, fixed: e.fixed });
          introduced = undefined;
        }
      }
    }
  }
  return spans;
}

function covers(ecosystem: string, s: Span, version: string): boolean {
  if (ecosystem === 'npm' && semver.valid(version)) return (s.introduced === '0' || semver.gte(version, s.introduced)) && semver.lt(version, s.fixed);
  return (s.introduced === '0' || compareVersions(version, s.introduced) >= 0) && compareVersions(version, s.fixed) < 0;
}

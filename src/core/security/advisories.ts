/**
 * Known vulnerabilities of published packages, as the security agent asks for them. The npm
 * registry's bulk advisory endpoint (what `npm audit` uses) and OSV's batch API implement it in
 * src/providers/advisories; the sandbox serves both with recorded advisories.
 */
export type Ecosystem = 'npm' | 'PyPI';

export interface PackageVersion {
  readonly ecosystem: Ecosystem;
  readonly name: string;
  readonly version: string;
}

export type AdvisorySeverity = 'critical' | 'high' | 'medium' | 'low' | 'unknown';

export interface Advisory {
  /** GHSA id where there is one (both services give it), else the service's own id. */
  readonly id: string;
  readonly aliases: readonly string[];
  readonly title: string;
  readonly severity: AdvisorySeverity;
  readonly url: string;
  /** The vulnerable versions as the service states them (`<4.17.21`, `>=1.0.0 <1.2.6`). */
  readonly vulnerable: string;
  /** The smallest version after the installed one that is not affected, when the service says. */
  readonly fixedIn: string | undefined;
}

export interface AdvisoryService {
  /** `npm registry`, `OSV`: named in "not checked" notes. */
  readonly name: string;
  readonly ecosystems: readonly Ecosystem[];
  /**
   * Advisories affecting each package version, keyed by `packageKey`. A service that cannot be
   * reached or refuses throws a DevOpsError saying so; the caller reports the packages as not
   * checked, never as clean.
   */
  lookup(packages: readonly PackageVersion[], signal?: AbortSignal): Promise<ReadonlyMap<string, readonly Advisory[]>>;
}

export const packageKey = (p: PackageVersion): string => `${p.ecosystem}:${p.name}@${p.version}`;

/** PEP 503: PyPI names compare lower-case with runs of `-`, `_`, `.` as one `-`. */
export const normalisePyPiName = (name: string): string => name.toLowerCase().replace(/[-_.]+/g, '-');

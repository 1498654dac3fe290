import { CATEGORIES, type Category } from './categories';

/**
 * "@devops /security secrets and dependencies, with the git history" into the scan's input, by
 * keywords (a scan needs no model): the categories named (all when none is), the history scope,
 * and whether to write the SARIF report.
 */
const CATEGORY_WORDS: readonly [RegExp, Category][] = [
  [/\bsecrets?\b|\bcredentials?\b|\btokens?\b|\bkeys?\b|\bpasswords?\b/i, 'secrets'],
  [/\bdependenc(?:y|ies)\b|\bpackages?\b|\badvisor(?:y|ies)\b|\bcves?\b|\bvulnerab\w*\b|\blockfiles?\b|\bnpm\b|\bpip\b/i, 'dependencies'],
  [/\bcode\b|\beslint\b|\bbandit\b|\bsast\b|\binsecure patterns?\b/i, 'code'],
  [/\binfra\w*\b|\bpipelines?\b|\bdocker\w*\b|\bkubernetes\b|\bk8s\b|\bterraform\b|\bworkflows?\b|\bactions?\b/i, 'infrastructure'],
];

export interface UnderstoodScan {
  readonly input: { only?: Category[]; history?: 'unpushed' | 'all'; reports?: boolean } | { days?: number };
  readonly understood: readonly string[];
  /** `report` (the compliance report) or `export` (the audit trail of a period); the scan when absent. */
  readonly action?: 'report' | 'export';
}

/**
 * "export the audit trail for the last 7 days", "compliance export": the trail of a period;
 * "compliance report", "SOX", "GDPR", "HIPAA": the compliance report; anything else is a scan.
 */
function complianceRequest(sentence: string): UnderstoodScan | undefined {
  if (/\bexport\b/i.test(sentence) && /\baudit\b|\bcompliance\b|\btrail\b/i.test(sentence)) {
    const days = /\b(\d{1,4})\s*days?\b/i.exec(sentence)?.[1] ?? (/\bweek\b/i.test(sentence) ? '7' : /\bquarter\b/i.test(sentence) ? '91' : /\byear\b/i.test(sentence) ? '365' : undefined);
    const n = days ? Math.min(3660, Math.max(1, Number(days))) : 30;
    return { action: 'export', input: { days: n }, understood: [`export the audit trail of the last ${n} day${n === 1 ? '' : 's'} as Markdown, HTML and CSV, with its verification`] };
  }
  if (/\bcompliance\b|\bsox\b|\bgdpr\b|\bhipaa\b|\baudit report\b/i.test(sentence))
    return { action: 'report', input: {}, understood: ['compliance report: secrets, dependencies, branch policies, required reviewers, audit trail and license, mapped to SOX, GDPR and HIPAA'] };
  return undefined;
}

export function parseSecurityRequest(sentence: string): UnderstoodScan {
  const compliance = complianceRequest(sentence);
  if (compliance) return compliance;
  const only = CATEGORY_WORDS.filter(([re]) => re.test(sentence)).map(([, c]) => c);
  const history = /\b(?:all|whole|full|entire)\s+(?:git\s+)?history\b|\bevery commit\b/i.test(sentence) ? 'all' : /\bhistory\b|\bcommits?\b|\bunpushed\b/i.test(sentence) ? 'unpushed' : undefined;
  const reports = /\bsarif\b|\breports?\b/i.test(sentence);
  const categories = only.length && only.length < CATEGORIES.length ? only : undefined;
  return {
    input: { ...(categories ? { only: categories } : {}), ...(history ? { history } : {}), ...(reports ? { reports: true } : {}) },
    understood: [
      categories ? `scan ${categories.join(', ')}` : 'scan everything (secrets, dependencies, code, infrastructure)',
      ...(history ? [history === 'all' ? 'and every commit in the git history' : 'and the commits not yet pushed'] : []),
      ...(reports ? ['write .devops/reports/security.sarif'] : []),
    ],
  };
}

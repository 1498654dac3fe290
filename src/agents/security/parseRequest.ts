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
  readonly input: { only?: Category[]; history?: 'unpushed' | 'all'; reports?: boolean };
  readonly understood: readonly string[];
}

export function parseSecurityRequest(sentence: string): UnderstoodScan {
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

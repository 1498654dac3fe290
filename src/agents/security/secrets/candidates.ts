/**
 * Text every secret rule needs before it can match anywhere in a file: a token prefix, a key name,
 * a URL scheme. A file with none of it cannot hold a finding, so it is read once (or not at all,
 * when ripgrep answers for it) and never given to the rules. The lists are a superset of each
 * rule's own pattern (secretlint's recommended preset and ours), checked by the corpus tests:
 * every planted secret's file is a candidate.
 */
const EXACT = [
  // AWS access key ids and the preset's other prefixes
  'AKIA', 'A3T', 'AGPA', 'AIDA', 'AROA', 'AIPA', 'ANPA', 'ANVA', 'ASIA',
  'PRIVATE KEY', '_authToken', 'npm_', 'xoxb-', 'xoxp-', 'xapp-', 'xoxa-', 'xoxo-', 'xoxr-', 'T3BlbkFJ', 'sk-ant-api0', 'gsk_', 'hf_',
  'lin_api_', 'ntn_', 'SG.', 'shppa_', 'shpca_', 'shpat_', 'shpss_', 'k_live_', 'k_test_', 'ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_',
  'github_pat_', 'glpat-', 'glc_', 'glsa_', 'ops_ey', 'hvs.', 'hvb.', 'hvr.', 'vcp_', 'vci_', 'vca_', 'vcr_', 'vck_', 'dapi',
  'dckr_pat_', 'figd_', 'cfk_', 'cfut_', 'cfat_', 'tskey-',
  // ours
  'AZDO', 'AccountKey=', 'SharedAccessKey=', 'AIza', '://',
];
const FOLDED = [
  // the preset's case-insensitive patterns (AWS secret keys and account ids, Slack webhooks, database URLs, GitHub x-oauth)
  'access', 'account', 'hooks.slack.com', 'mongodb', 'mysql', 'postgres', 'x-oauth-basic',
  // ours: key names and connection string fields
  'azure', 'azdo', 'ado', 'vsts', 'devops', 'accesstoken', 'personal', 'watsonx', 'wml', 'ibm', 'password=', 'pwd=',
];

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** One pass over the text with each list; the regexes are built once. */
export const EXACT_ANCHORS = new RegExp(EXACT.map(escape).join('|'));
export const FOLDED_ANCHORS = new RegExp(FOLDED.map(escape).join('|'), 'i');

export function mayHoldSecret(text: string): boolean {
  return EXACT_ANCHORS.test(text) || FOLDED_ANCHORS.test(text);
}

/** The same anchors as one ripgrep pattern (case-insensitive: a superset of both lists). */
export function ripgrepAnchorPattern(): string {
  return [...EXACT, ...FOLDED].map(escape).join('|');
}

/**
 * GraphQL node ids. GitHub's are opaque strings with a type prefix (`I_kwDO…`, `PVTI_lADO…`);
 * clients must treat them as opaque, so the stand-in derives them from the database id and can
 * read them back to find the record a mutation names.
 */
export const NODE_PREFIXES = {
  User: 'U',
  Organization: 'O',
  Repository: 'R',
  Issue: 'I',
  PullRequest: 'PR',
  IssueComment: 'IC',
  Label: 'LA',
  LabeledEvent: 'LE',
  UnlabeledEvent: 'UNLE',
  ProjectV2: 'PVT',
  ProjectV2Item: 'PVTI',
  ProjectV2Field: 'PVTF',
  ProjectV2SingleSelectField: 'PVTSSF',
  ProjectV2IterationField: 'PVTIF',
  DraftIssue: 'DI',
  ProjectV2ItemFieldValue: 'PVTFSV',
  Release: 'RE',
  Ref: 'REF',
  Commit: 'C',
  Workflow: 'W',
  WorkflowRun: 'WFR',
  CheckRun: 'CR',
  Environment: 'EN',
  Deployment: 'DE',
  Gate: 'GA',
  IssueType: 'IT',
} as const;
export type NodeKind = keyof typeof NODE_PREFIXES;

const KIND_BY_PREFIX = new Map<string, NodeKind>(Object.entries(NODE_PREFIXES).map(([k, p]) => [p, k as NodeKind]));

export function nodeId(kind: NodeKind, id: number | string): string {
  return `${NODE_PREFIXES[kind]}_kwDO${Buffer.from(`sbx:${id}`).toString('base64url')}`;
}

/** The kind and database id a node id stands for, or undefined for anything the stand-in did not issue. */
export function parseNodeId(id: string): { kind: NodeKind; id: string } | undefined {
  const m = /^([A-Z]+)_kwDO([A-Za-z0-9_-]+)$/.exec(id);
  if (!m) return undefined;
  const kind = KIND_BY_PREFIX.get(m[1]!);
  const decoded = Buffer.from(m[2]!, 'base64url').toString('utf8');
  if (!kind || !decoded.startsWith('sbx:')) return undefined;
  return { kind, id: decoded.slice(4) };
}

/** Single-select option ids look like GitHub's: 8 hex digits, stable per project and name. */
export function optionIdFor(projectId: number, name: string): string {
  let h = 0x811c9dc5 ^ projectId;
  for (const ch of name) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
  return h.toString(16).padStart(8, '0');
}

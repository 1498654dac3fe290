import { type WorkItem, workItemKey } from '../workItem';

/**
 * "Hand to an agent…": which agent fits a work item, read from what the item says of itself (its
 * type, tags and title). The fitting one is offered first with the reason; every agent stays on
 * the list, and an item nothing points at is offered all of them without a guess.
 */
export type HandOffAgent = 'scaffold' | 'qa' | 'security' | 'release';

export interface HandOffChoice {
  readonly agent: HandOffAgent;
  readonly label: string;
  /** What the agent does with the item, as the pick shows it. */
  readonly detail: string;
  /** Why it fits this item; undefined for an agent nothing in the item points at. */
  readonly fits?: string;
  /** The command that runs it, and the input it is handed (the item linked). */
  readonly command: string;
}

const AGENTS: readonly Omit<HandOffChoice, 'fits'>[] = [
  { agent: 'scaffold', label: 'Scaffold agent', detail: 'generates the project on a branch task-<id>-…, opens a pull request linked to the item, moves it In Progress then Code Review', command: 'aiDevops.agents.scaffold' },
  { agent: 'qa', label: 'QA agent', detail: 'runs the tests, comments the results on the item, moves it to Testing, files a Bug per failing test', command: 'aiDevops.agents.qa.run' },
  { agent: 'security', label: 'Security agent', detail: 'scans the whole workspace (dependencies, secrets, code, infrastructure); not linked to the item', command: 'aiDevops.security.scan' },
  { agent: 'release', label: 'Release agent', detail: 'plans the next version from the commits (the items they name are linked); changelog, notes, tag, push after review', command: 'aiDevops.agents.release' },
];

/** Words that point at an agent, matched as whole words in the title and tags (lower case). */
const SIGNS: readonly { agent: HandOffAgent; words: RegExp; why: (word: string) => string }[] = [
  { agent: 'security', words: /\b(security|vulnerabilit(?:y|ies)|cve-\d{4}-\d+|cve|secrets?|leak(?:ed)?|xss|csrf|injection|owasp|advisory|dependabot)\b/, why: (w) => `the item mentions "${w}"` },
  { agent: 'release', words: /\b(release|ship|deploy(?:ment)?|changelog|version|hotfix|rollback|tag)\b/, why: (w) => `the item mentions "${w}"` },
  { agent: 'qa', words: /\b(tests?|testing|flaky|regression|coverage|qa|fails?|failing|broken|crash(?:es)?)\b/, why: (w) => `the item mentions "${w}"` },
];

// An epic or a feature is the planner's to break down first, not one project's.
const REQUIREMENT_TYPES = new Set(['user story', 'product backlog item', 'requirement', 'issue', 'task']);

export function handOffChoices(item: Pick<WorkItem, 'type' | 'title' | 'tags'>): HandOffChoice[] {
  const text = `${item.title} ${item.tags.join(' ')}`.toLowerCase();
  const fits = new Map<HandOffAgent, string>();
  for (const sign of SIGNS) {
    const m = sign.words.exec(text);
    if (m) fits.set(sign.agent, sign.why(m[1]!));
  }
  const type = item.type.toLowerCase();
  if (type === 'bug' && !fits.has('qa')) fits.set('qa', 'it is a Bug: QA reproduces it with the tests');
  if (type === 'pull request') fits.set('qa', 'it is a pull request: QA runs its tests');
  // New work (a story, a requirement, an issue) nothing else claims is the scaffold's.
  if (fits.size === 0 && REQUIREMENT_TYPES.has(type)) fits.set('scaffold', `it is ${/^[aeio]/i.test(item.type) ? 'an' : 'a'} ${item.type}: new work starts with its project`);
  const order = (a: Omit<HandOffChoice, 'fits'>): number => {
    const i = [...fits.keys()].indexOf(a.agent);
    return i < 0 ? fits.size + AGENTS.indexOf(a) : i;
  };
  return [...AGENTS].sort((a, b) => order(a) - order(b)).map((a) => ({ ...a, ...(fits.has(a.agent) ? { fits: fits.get(a.agent)! } : {}) }));
}

/**
 * The input an agent is handed for the item. The scaffold and QA agents are linked to it (QA
 * comments its results there); security and release work on the whole workspace and its history,
 * so they are only started (the release links the items its commits name).
 */
export function handOffInput(agent: HandOffAgent, item: Pick<WorkItem, 'tracker' | 'id' | 'repository'>, input: Readonly<Record<string, unknown>> = {}): Record<string, unknown> {
  switch (agent) {
    case 'scaffold':
      return { ...input, workItem: workItemKey(item) };
    case 'qa':
      return { ...input, 'work-item': item.tracker === 'azureBoards' ? `AB#${item.id}` : `#${item.id}`, comment: true };
    case 'security':
    case 'release':
      return { ...input };
  }
}

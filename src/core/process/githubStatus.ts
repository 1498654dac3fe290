import { type LifecycleState } from './lifecycle';

/**
 * Lifecycle states onto a GitHub Project's single-select Status field. Projects name their options
 * freely ("Todo", "🔖 Ready", "In review", "QA / Testing"), so options are matched by name against
 * common spellings, then by containment, then a lifecycle stage that has no option of its own
 * falls back to a neighbouring stage (Code Review to In Progress, New to Ready, ...). Blocked
 * without a Blocked option keeps the current status and uses a `blocked` label instead.
 */
export interface StatusOption {
  readonly id: string;
  readonly name: string;
}

export type StatusMatch =
  | { readonly ok: true; readonly option: StatusOption; readonly matchedBy: 'name' | 'fallback'; readonly note?: string }
  | { readonly ok: true; readonly option: null; readonly label: typeof BLOCKED_LABEL; readonly note: string }
  | { readonly ok: false; readonly reason: string };

export const BLOCKED_LABEL = 'blocked';

/** Option names compare without case, spaces, punctuation or emoji: "🔖 To-Do" is "todo". */
export const normalizeStatus = (name: string): string => name.toLowerCase().replace(/[^a-z0-9]+/g, '');

const SYNONYMS: Readonly<Record<LifecycleState, readonly string[]>> = {
  New: ['new', 'backlog', 'triage', 'inbox', 'icebox', 'proposed', 'ideas', 'untriaged'],
  Ready: ['ready', 'todo', 'upnext', 'next', 'selected', 'planned', 'sprintbacklog', 'readyfordev', 'readyfordevelopment', 'notstarted', 'approved', 'committed'],
  'In Progress': ['inprogress', 'doing', 'active', 'wip', 'workinprogress', 'started', 'indevelopment', 'development', 'building'],
  'Code Review': ['inreview', 'review', 'codereview', 'reviewing', 'needsreview', 'readyforreview', 'inpr', 'pullrequest', 'awaitingreview', 'prreview'],
  Testing: ['testing', 'intesting', 'test', 'qa', 'inqa', 'verify', 'verification', 'validation', 'readyfortest', 'readyforqa'],
  Staging: ['staging', 'staged', 'instaging', 'readyforrelease', 'readytodeploy', 'readyfordeploy', 'readytorelease', 'preproduction', 'preprod', 'uat', 'acceptance'],
  Production: ['production', 'inproduction', 'released', 'deployed', 'shipped', 'live'],
  Done: ['done', 'closed', 'complete', 'completed', 'finished', 'resolved', 'accepted'],
  Blocked: ['blocked', 'onhold', 'hold', 'waiting', 'stuck', 'impeded', 'paused'],
};

const FALLBACK: Readonly<Partial<Record<LifecycleState, readonly LifecycleState[]>>> = {
  New: ['Ready'],
  Ready: ['New'],
  'Code Review': ['In Progress'],
  Testing: ['Code Review', 'In Progress'],
  Staging: ['Testing', 'Code Review', 'In Progress'],
  Production: ['Staging', 'Testing', 'Code Review', 'In Progress'],
};

/** Names checked in order of specificity, so "In review" is Code Review and not In Progress. */
const MATCH_ORDER: readonly LifecycleState[] = ['Blocked', 'Code Review', 'Testing', 'Staging', 'Production', 'Done', 'In Progress', 'Ready', 'New'];

function byName(options: readonly StatusOption[], state: LifecycleState): StatusOption | undefined {
  const words = SYNONYMS[state];
  const exact = options.find((o) => words.includes(normalizeStatus(o.name)));
  if (exact) return exact;
  // Containment ("QA / Testing", "Ready for Dev 🚀"), only for an option no other state claims exactly.
  return options.find((o) => {
    const n = normalizeStatus(o.name);
    if (lifecycleForStatus(o.name) !== undefined) return false;
    return words.some((w) => w.length >= 4 && n.includes(w));
  });
}

/** The lifecycle state an option name stands for, if any (exact spelling match only). */
export function lifecycleForStatus(optionName: string): LifecycleState | undefined {
  const n = normalizeStatus(optionName);
  return MATCH_ORDER.find((state) => SYNONYMS[state].includes(n));
}

export function statusOptionFor(options: readonly StatusOption[], state: LifecycleState): StatusMatch {
  const direct = byName(options, state);
  if (direct) return { ok: true, option: direct, matchedBy: 'name' };
  for (const other of FALLBACK[state] ?? []) {
    const option = byName(options, other);
    if (option) return { ok: true, option, matchedBy: 'fallback', note: `The project has no status for ${state}; using "${option.name}" (its ${other} status).` };
  }
  if (state === 'Blocked') {
    return { ok: true, option: null, label: BLOCKED_LABEL, note: `The project has no Blocked status; the item keeps its status and gets the "${BLOCKED_LABEL}" label.` };
  }
  const names = options.map((o) => `"${o.name}"`).join(', ') || 'none';
  return {
    ok: false,
    reason: `The project's Status field has no option for ${state} (looked for ${SYNONYMS[state].slice(0, 4).join(', ')}…); its options are ${names}. Add or rename an option in the project's settings.`,
  };
}

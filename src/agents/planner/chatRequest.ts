/**
 * What `@devops /plan …` asks for, read without a model: an attached or named Markdown file, a
 * work item (`AB#12`, `#12`, `owner/repo#12`, a URL, a bare number), or the epic as free text
 * (which the agent then gives the model). The plan always carries its creations: in chat nothing
 * is applied until the user opens the review and accepts.
 */
export type PlanChatRequest =
  | { readonly ok: true; readonly input: { readonly source?: string; readonly text?: string; readonly apply: true }; readonly understood: readonly string[] }
  | { readonly ok: true; readonly action: 'sprint'; readonly input: { readonly iteration?: string; readonly apply: true }; readonly understood: readonly string[] }
  | { readonly ok: true; readonly action: 'report'; readonly input: { readonly iteration?: string; readonly wiki?: true }; readonly understood: readonly string[] }
  | { readonly ok: false; readonly message: string };

const MARKDOWN_FILE = /\.(md|markdown|mdown|mkd)$/i;
const NAMED_FILE = /(?:^|\s)((?:[\w.-]+\/)*[\w.-]+\.(?:md|markdown|mdown|mkd))(?=\s|$)/i;
const ITEM = /^(?:AB#\d{1,9}|#\d{1,9}|\d{1,9}|[\w.-]+\/[\w.-]+#\d{1,9}|https?:\/\/\S+)$/i;
/** Free text shorter than this is not an epic, it is a question. */
const MIN_EPIC_TEXT = 30;

export const PLAN_CHAT_USAGE =
  'Tell me what to plan: attach a Markdown epic (`#file`), name one (`/plan docs/epic.md`), name an epic work item (`/plan AB#12`, `/plan #12`), or write the epic in a few sentences (that needs a model). I show the features, stories and tasks first; nothing is created until you review and apply. `/plan sprint` plans the next sprint against capacity and velocity; `/plan report` writes the current sprint\'s status.';

/** An iteration named after `sprint`/`report`: `Sprint 4`, `"Project\\Sprint 4"`, or nothing (the default one). */
const ITERATION = /^[\w .\\/-]{1,200}$/;

function iterationOf(rest: string): { readonly iteration?: string } | { readonly bad: string } {
  const name = rest.replace(/^(?:for|of|in)\s+/i, '').replace(/^["'](.*)["']$/, '$1').trim();
  if (name === '') return {};
  return ITERATION.test(name) ? { iteration: name } : { bad: name };
}

export function parsePlanChatRequest(prompt: string, files: readonly { readonly path: string }[]): PlanChatRequest {
  const text = prompt.trim();
  const sprint = /^sprint\b(.*)$/is.exec(text);
  if (sprint) {
    const it = iterationOf(sprint[1]!.trim());
    if ('bad' in it) return { ok: false, message: `"${it.bad}" does not look like an iteration name. Write \`/plan sprint\` for the next sprint, or \`/plan sprint Sprint 4\`.` };
    return { ok: true, action: 'sprint', input: { ...it, apply: true }, understood: [`plan ${it.iteration ?? 'the next sprint'} against the team's capacity and velocity`] };
  }
  const report = /^(?:report|status)\b(.*)$/is.exec(text);
  if (report) {
    const rest = report[1]!.trim();
    const wiki = /\b(?:and|to|on)\s+(?:the\s+)?wiki\b|\bwiki\b/i.test(rest);
    const it = iterationOf(rest.replace(/\b(?:and\s+)?(?:publish\s+)?(?:to|on)?\s*(?:the\s+)?wiki\b/i, '').trim());
    if ('bad' in it) return { ok: false, message: `"${it.bad}" does not look like an iteration name. Write \`/plan report\` for the current sprint, \`/plan report Sprint 3\`, or add \`to the wiki\`.` };
    return { ok: true, action: 'report', input: { ...it, ...(wiki ? { wiki: true as const } : {}) }, understood: [`a status report of ${it.iteration ?? 'the current sprint'} with velocity and forecast${wiki ? ', published to the wiki' : ''}`] };
  }
  const attached = files.filter((f) => !f.path.startsWith('#') && MARKDOWN_FILE.test(f.path));
  if (attached.length > 1) return { ok: false, message: `Attach one Markdown epic at a time (you attached ${attached.map((f) => `\`${f.path}\``).join(', ')}).` };
  if (attached.length === 1) return { ok: true, input: { source: attached[0]!.path, apply: true }, understood: [`the epic in ${attached[0]!.path}`] };
  const named = NAMED_FILE.exec(text)?.[1];
  if (named) return { ok: true, input: { source: named, apply: true }, understood: [`the epic in ${named}`] };
  if (ITEM.test(text)) return { ok: true, input: { source: text, apply: true }, understood: [`the epic ${text}`] };
  if (text.length >= MIN_EPIC_TEXT) return { ok: true, input: { text, apply: true }, understood: ['the epic as you wrote it (a model breaks it down)'] };
  return { ok: false, message: PLAN_CHAT_USAGE };
}

/**
 * What `@devops /plan …` asks for, read without a model: an attached or named Markdown file, a
 * work item (`AB#12`, `#12`, `owner/repo#12`, a URL, a bare number), or the epic as free text
 * (which the agent then gives the model). The plan always carries its creations: in chat nothing
 * is applied until the user opens the review and accepts.
 */
export type PlanChatRequest =
  | { readonly ok: true; readonly input: { readonly source?: string; readonly text?: string; readonly apply: true }; readonly understood: readonly string[] }
  | { readonly ok: false; readonly message: string };

const MARKDOWN_FILE = /\.(md|markdown|mdown|mkd)$/i;
const NAMED_FILE = /(?:^|\s)((?:[\w.-]+\/)*[\w.-]+\.(?:md|markdown|mdown|mkd))(?=\s|$)/i;
const ITEM = /^(?:AB#\d{1,9}|#\d{1,9}|\d{1,9}|[\w.-]+\/[\w.-]+#\d{1,9}|https?:\/\/\S+)$/i;
/** Free text shorter than this is not an epic, it is a question. */
const MIN_EPIC_TEXT = 30;

export const PLAN_CHAT_USAGE =
  'Tell me what to plan: attach a Markdown epic (`#file`), name one (`/plan docs/epic.md`), name an epic work item (`/plan AB#12`, `/plan #12`), or write the epic in a few sentences (that needs a model). I show the features, stories and tasks first; nothing is created until you review and apply.';

export function parsePlanChatRequest(prompt: string, files: readonly { readonly path: string }[]): PlanChatRequest {
  const text = prompt.trim();
  if (/^sprint\b/i.test(text)) {
    return { ok: false, message: 'Sprint planning is not in this version yet; `/plan` decomposes epics. ' + PLAN_CHAT_USAGE };
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

import { type ChatMessage } from '../ai/messages';
import { type AuditEvent } from '../audit';
import { type WorkItem } from '../workItem';
import { clip } from './markdown';
import { auditEventFact, workItemForModel } from './workItemFormat';

/** One earlier turn of the conversation with @devops, as plain text. */
export interface HistoryTurn {
  readonly role: 'user' | 'assistant';
  readonly text: string;
}

/** A file the user attached (#file, a selection) with the text we read from it. */
export interface FileContext {
  /** Workspace-relative path, for the model and the reference list; `#name` for a chat variable's text. */
  readonly path: string;
  readonly text: string;
  /** 1-based lines when only a range was attached. */
  readonly lines?: { readonly start: number; readonly end: number };
}

const SYSTEM = [
  'You are @devops, the assistant of the AI DevOps extension in VS Code. You help a developer with their work items',
  '(Azure Boards or GitHub issues), the sprint, git and the audit trail of what the extension and its agents did.',
  'Answer briefly in Markdown. Use only the facts given in this conversation and the tools offered; when something',
  'is not known, say so instead of guessing. Never invent work item ids, states or people. Write work items as AB#123',
  '(Azure Boards) or owner/repo#45 (GitHub). Nothing you say changes anything: the user changes work items with the',
  'buttons and commands the extension shows.',
].join(' ');

/** How much earlier conversation goes with a question (the newest turns win). */
const HISTORY_CHARS = 8_000;
const HISTORY_TURNS = 10;
/** Each attached file is cut to this; the whole context to FILES_CHARS. */
const FILE_CHARS = 12_000;
const FILES_CHARS = 40_000;

export function historyMessages(history: readonly HistoryTurn[]): ChatMessage[] {
  const out: ChatMessage[] = [];
  let used = 0;
  for (const turn of [...history].reverse().slice(0, HISTORY_TURNS)) {
    const text = clip(turn.text, 2_000);
    if (!text.trim()) continue;
    if (used + text.length > HISTORY_CHARS) break;
    used += text.length;
    out.unshift({ role: turn.role, content: text });
  }
  return out;
}

function filesBlock(files: readonly FileContext[]): string {
  let budget = FILES_CHARS;
  const parts: string[] = [];
  for (const f of files) {
    if (budget <= 0) {
      parts.push(`File ${f.path}: left out (the attached files are longer than ${FILES_CHARS} characters).`);
      continue;
    }
    const text = clip(f.text, Math.min(FILE_CHARS, budget));
    budget -= text.length;
    const where = f.lines ? ` lines ${f.lines.start}-${f.lines.end}` : '';
    // A chat variable (`#selection`, `#terminalLastCommand`) is text, not a file.
    const what = f.path.startsWith('#') ? `Attached ${f.path}` : `File ${f.path}`;
    parts.push(`${what}${where}:\n<<<\n${text}\n>>>`);
  }
  return parts.join('\n\n');
}

/**
 * A free-form question with what the user mentioned: the work items (as JSON facts), the files
 * they attached, and the conversation so far. Redaction happens in the model layer for every
 * provider that is not an allowed local one.
 */
export function freeFormMessages(input: {
  readonly question: string;
  readonly history: readonly HistoryTurn[];
  readonly workItems: readonly WorkItem[];
  readonly missingWorkItems: readonly string[];
  readonly files: readonly FileContext[];
}): ChatMessage[] {
  const context: string[] = [];
  if (input.workItems.length) context.push(`Work items the user mentioned:\n${input.workItems.map((w) => JSON.stringify(workItemForModel(w))).join('\n')}`);
  if (input.missingWorkItems.length) context.push(`Work items the user mentioned that could not be read: ${input.missingWorkItems.join('; ')}`);
  if (input.files.length) context.push(`Files the user attached:\n\n${filesBlock(input.files)}`);
  return [
    { role: 'system', content: SYSTEM },
    ...(context.length ? [{ role: 'system' as const, content: context.join('\n\n') }] : []),
    ...historyMessages(input.history),
    { role: 'user', content: input.question },
  ];
}

/** Asks for a short summary of one work item for `/workitem`. */
export function workItemSummaryMessages(item: WorkItem, children: readonly WorkItem[]): ChatMessage[] {
  const facts = { ...workItemForModel(item), children: children.map((c) => ({ id: c.id, type: c.type, title: c.title, state: c.state })) };
  return [
    { role: 'system', content: SYSTEM },
    {
      role: 'user',
      content: `Summarize this work item in three to five sentences for a developer about to work on it: what it asks for, where it stands (state, children), and what is left or unclear.\n\n${JSON.stringify(facts)}`,
    },
  ];
}

/** At most this many events go to the model; the listing says when more matched. */
export const AUDIT_EVENTS_FOR_MODEL = 80;

/** Asks the model to answer a question about the audit trail from the matching events only. */
export function auditAnswerMessages(question: string, filterDescription: string, events: readonly AuditEvent[], total: number): ChatMessage[] {
  const shown = events.slice(0, AUDIT_EVENTS_FOR_MODEL);
  const more = total > shown.length ? `\n(${total - shown.length} older matching events are not listed.)` : '';
  return [
    { role: 'system', content: SYSTEM },
    {
      role: 'user',
      content: [
        `Question about the audit trail: ${question || '(none: summarize recent activity)'}`,
        '',
        `These are the ${filterDescription} in the trail, newest first, one per line (time, event type, service, correlation id, work item, states, metadata):`,
        shown.map(auditEventFact).join('\n') + more,
        '',
        'Answer the question from these events only. Name times, services and work items; group events that share a correlation id as one action. If the events do not answer it, say what they do show.',
      ].join('\n'),
    },
  ];
}

/** The most of the diff a commit-message request carries. */
export const DIFF_CHARS = 24_000;

/** Asks for a conventional commit message for a diff, ending with the work item reference. */
export function commitMessageMessages(diff: string, files: readonly string[], workItem: string | undefined, title: string | undefined): ChatMessage[] {
  const item = workItem ? `The change is for work item ${workItem}${title ? ` ("${title}")` : ''}; end the message with a line "${workItem}".` : 'No work item is known; do not invent one.';
  return [
    { role: 'system', content: SYSTEM },
    {
      role: 'user',
      content: [
        `Draft a commit message for this change (a conventional commit: "type(scope): summary" under 72 characters, a blank line, then why in one to three sentences). ${item} Reply with the message only, no code fence.`,
        '',
        `Changed files: ${files.join(', ') || '(none listed)'}`,
        '',
        'Diff:',
        clip(diff, DIFF_CHARS),
      ].join('\n'),
    },
  ];
}

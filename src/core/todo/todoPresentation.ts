import { htmlToText } from '../htmlToText';
import { referenceKey, referenceLabel, type WorkItemReference } from './references';
import { type TodoItem } from './todoParser';
import { isClosedState, type Resolution } from './workItemResolver';

/**
 * What a lens, a hover and a diagnostic say about a linked TODO, as plain data. The VS Code layer
 * only turns it into CodeLens / MarkdownString / Diagnostic objects.
 */
export interface LensData {
  readonly title: string;
  /** Empty for a label that does nothing when clicked. */
  readonly command: string;
  readonly arguments: readonly unknown[];
  readonly tooltip?: string;
}

/** Arguments of the work item commands (aiDevops.workItem.*): the reference and its key. */
export interface WorkItemCommandArgument {
  readonly reference: WorkItemReference;
  readonly key: string;
}

/** Arguments of aiDevops.todo.removeReference / relink. */
export interface TodoCommandArgument {
  readonly uri: string;
  readonly line: number;
  readonly referenceIndex: number;
}

export const commandArgument = (reference: WorkItemReference): WorkItemCommandArgument => ({ reference, key: referenceKey(reference) });

const MAX_LENS_TITLE = 60;
const clip = (text: string, max: number): string => (text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`);

/** Short state text of a resolution, or undefined while it is still loading. */
export function resolutionSummary(resolution: Resolution | undefined): { text: string; stale: boolean; problem: boolean } | undefined {
  if (resolution === undefined) return undefined;
  switch (resolution.kind) {
    case 'found': {
      const stale = isClosedState(resolution.item.state);
      return { text: resolution.item.state, stale, problem: false };
    }
    case 'notFound':
      return { text: 'not found', stale: false, problem: true };
    case 'deleted':
      return { text: 'deleted', stale: true, problem: true };
    case 'error':
      switch (resolution.error.code) {
        case 'notConfigured':
          return { text: 'not connected — Sign in', stale: false, problem: true };
        case 'unauthorized':
          return { text: 'sign-in needed — Sign in', stale: false, problem: true };
        case 'forbidden':
          return { text: 'no access', stale: false, problem: true };
        case 'rateLimited':
          return { text: 'rate limited — retrying later', stale: false, problem: true };
        default:
          return { text: `could not load (${resolution.error.code})`, stale: false, problem: true };
      }
  }
}

/** Lenses over one TODO: one row of actions per distinct work item it names. */
export function lensesForTodo(todo: TodoItem, resolutions: ReadonlyMap<string, Resolution>, target: Omit<TodoCommandArgument, 'referenceIndex'>): LensData[] {
  const lenses: LensData[] = [];
  const seen = new Set<string>();
  todo.references.forEach((found, referenceIndex) => {
    const key = referenceKey(found.reference);
    if (seen.has(key)) return;
    seen.add(key);
    const label = referenceLabel(found.reference);
    const arg = commandArgument(found.reference);
    const todoArg: TodoCommandArgument = { ...target, referenceIndex };
    const resolution = resolutions.get(key);
    const summary = resolutionSummary(resolution);
    if (resolution === undefined || summary === undefined) {
      lenses.push({ title: `${label} · loading…`, command: '', arguments: [] });
      return;
    }
    if (resolution.kind === 'found') {
      const item = resolution.item;
      const title = `${label} · ${item.state} · ${clip(item.title, MAX_LENS_TITLE)}`;
      lenses.push({ title: summary.stale ? `$(warning) ${title} — stale TODO` : title, command: 'aiDevops.workItem.openInBrowser', arguments: [arg], tooltip: `Open ${label} in the browser` });
      if (summary.stale) {
        lenses.push({ title: 'Remove reference', command: 'aiDevops.todo.removeReference', arguments: [todoArg] });
        lenses.push({ title: 'Relink…', command: 'aiDevops.todo.relink', arguments: [todoArg] });
      } else {
        lenses.push({ title: 'Change state…', command: 'aiDevops.workItem.changeState', arguments: [arg] });
        lenses.push({ title: 'Mark done', command: 'aiDevops.workItem.markDone', arguments: [arg] });
        lenses.push({ title: 'Hand to an agent…', command: 'aiDevops.workItem.handToAgent', arguments: [arg], tooltip: `Offer ${label} to the agent that fits it (scaffold, QA, security, release)` });
      }
      return;
    }
    if (resolution.kind === 'error') {
      const code = resolution.error.code;
      const signIn = code === 'notConfigured' || code === 'unauthorized';
      lenses.push({
        title: `${label} · ${summary.text}`,
        command: signIn ? 'aiDevops.signIn' : 'aiDevops.todos.refresh',
        arguments: [],
        tooltip: resolution.error.message,
      });
      return;
    }
    lenses.push({ title: `$(warning) ${label} · ${summary.text}`, command: '', arguments: [], tooltip: `${label} is ${summary.text} in its tracker.` });
    lenses.push({ title: 'Remove reference', command: 'aiDevops.todo.removeReference', arguments: [todoArg] });
    lenses.push({ title: 'Relink…', command: 'aiDevops.todo.relink', arguments: [todoArg] });
  });
  return lenses;
}

/** Markdown special characters in text that came from a tracker or a file, so it shows as written. */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>~]/g, '\\$&');
}

const commandLink = (label: string, command: string, arg: unknown): string => `[${label}](command:${command}?${encodeURIComponent(JSON.stringify([arg]))})`;

/** Commands a hover's links may run (the VS Code layer trusts exactly these). */
export const HOVER_COMMANDS = ['aiDevops.workItem.openInBrowser', 'aiDevops.workItem.changeState', 'aiDevops.workItem.markDone', 'aiDevops.signIn', 'aiDevops.todo.removeReference', 'aiDevops.todo.relink', 'aiDevops.agents.scaffold', 'aiDevops.workItem.handToAgent'] as const;

/** Hover Markdown for one reference of a TODO. */
export function hoverMarkdown(reference: WorkItemReference, resolution: Resolution | undefined, todoArg: TodoCommandArgument): string {
  const label = referenceLabel(reference);
  const arg = commandArgument(reference);
  if (resolution === undefined) return `**${escapeMarkdown(label)}** · loading…`;
  if (resolution.kind === 'error') {
    const signIn = resolution.error.code === 'notConfigured' || resolution.error.code === 'unauthorized';
    return [`**${escapeMarkdown(label)}** · ${escapeMarkdown(resolutionSummary(resolution)?.text ?? '')}`, '', escapeMarkdown(resolution.error.message), ...(signIn ? ['', commandLink('Sign in', 'aiDevops.signIn', {})] : [])].join('\n');
  }
  if (resolution.kind !== 'found') {
    const what = resolution.kind === 'deleted' ? 'was deleted' : 'was not found';
    return [
      `**${escapeMarkdown(label)}** ${what}.`,
      '',
      `${commandLink('Remove reference', 'aiDevops.todo.removeReference', todoArg)} · ${commandLink('Relink…', 'aiDevops.todo.relink', todoArg)}`,
    ].join('\n');
  }
  const item = resolution.item;
  const stale = isClosedState(item.state);
  const facts = [
    item.assignedTo ? `Assigned to ${escapeMarkdown(item.assignedTo)}` : 'Unassigned',
    item.iterationPath ? `Iteration ${escapeMarkdown(item.iterationPath)}` : undefined,
    item.tags.length > 0 ? `Tags ${item.tags.map(escapeMarkdown).join(', ')}` : undefined,
    `Changed ${item.modifiedAt.slice(0, 10)}`,
  ].filter((f): f is string => f !== undefined);
  const description = htmlToText(item.description);
  const actions = stale
    ? [commandLink('Open', 'aiDevops.workItem.openInBrowser', arg), commandLink('Remove reference', 'aiDevops.todo.removeReference', todoArg), commandLink('Relink…', 'aiDevops.todo.relink', todoArg)]
    : [
        commandLink('Open', 'aiDevops.workItem.openInBrowser', arg),
        commandLink('Change state…', 'aiDevops.workItem.changeState', arg),
        commandLink('Mark done', 'aiDevops.workItem.markDone', arg),
        commandLink('Scaffold project…', 'aiDevops.agents.scaffold', arg),
        commandLink('Hand to an agent…', 'aiDevops.workItem.handToAgent', arg),
      ];
  return [
    `**${escapeMarkdown(label)}** · ${escapeMarkdown(item.type)} · ${escapeMarkdown(item.state)}${stale ? ' · ⚠ this TODO is stale: its work item is finished' : ''}`,
    '',
    `#### ${escapeMarkdown(item.title)}`,
    '',
    facts.join(' · '),
    ...(description.length > 0 ? ['', escapeMarkdown(clip(description, 400))] : []),
    '',
    actions.join(' · '),
  ].join('\n');
}

/** Message of the Warning diagnostic on a stale TODO, or undefined when the TODO is not stale. */
export function staleMessage(todo: TodoItem, reference: WorkItemReference, resolution: Resolution | undefined): string | undefined {
  if (resolution === undefined) return undefined;
  const label = referenceLabel(reference);
  if (resolution.kind === 'deleted') return `${todo.tag} names ${label}, which was deleted. Remove the reference or link another work item.`;
  if (resolution.kind === 'found' && isClosedState(resolution.item.state)) {
    return `${todo.tag} names ${label}, which is ${resolution.item.state}. Remove the reference, link another work item, or resolve the ${todo.tag}.`;
  }
  return undefined;
}

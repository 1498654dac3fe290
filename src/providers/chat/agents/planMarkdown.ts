import { type AgentPlan, displayCommand, type Finding } from '../../../agents/runtime/plan';
import { type RunResult } from '../../../agents/runtime/runAgent';
import { clip, escapeMarkdown } from '../../../core/chat/markdown';

const MAX_LISTED = 25;

/** Inline code that shows text exactly (escapes mean nothing inside a code span) and cannot be closed early. */
function code(text: string): string {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${text.replace(/\n/g, ' ')}${pad}${fence}`;
}

const more = (n: number): string => (n > MAX_LISTED ? `\n- … and ${n - MAX_LISTED} more` : '');

function findingLine(f: Finding): string {
  const where = f.file ? ` ${code(`${f.file}${f.line ? `:${f.line}` : ''}`)}` : '';
  return `- **${f.severity}** ${escapeMarkdown(f.ruleId)}${where}: ${escapeMarkdown(clip(f.message, 300))}${f.suppressed ? ' _(suppressed)_' : ''}`;
}

/**
 * A plan as the chat shows it before anything happens: what the agent found, what it would write,
 * run and send, and what it noticed. Every piece of text from the agent, the workspace or a model
 * is escaped, so it cannot make links or markup.
 */
export function planMarkdown(plan: AgentPlan): string {
  const parts: string[] = [`### ${escapeMarkdown(plan.title)}`];
  if (plan.summary) parts.push(escapeMarkdown(plan.summary));
  if (plan.facts.length) parts.push(['**What I found**', ...plan.facts.map((f) => `- ${escapeMarkdown(f.label)}: ${escapeMarkdown(clip(f.value, 300))}`)].join('\n'));
  if (plan.edits.length) {
    const creates = plan.edits.filter((e) => e.action === 'create').length;
    parts.push(
      [`**Files** (${creates} new, ${plan.edits.length - creates} changed)`, ...plan.edits.slice(0, MAX_LISTED).map((e) => `- ${e.action === 'create' ? 'new' : 'change'} ${code(e.path)}${e.why ? `: ${escapeMarkdown(e.why)}` : ''}`)].join('\n') + more(plan.edits.length),
    );
  }
  if (plan.commands.length) parts.push(['**Then run**', ...plan.commands.map((c) => `- ${code(displayCommand(c))}: ${escapeMarkdown(c.why)}`)].join('\n'));
  if (plan.remote.length) parts.push([`**Remote changes** (${plan.remote.length})`, ...plan.remote.slice(0, MAX_LISTED).map((r) => `- ${escapeMarkdown(r.summary)} → ${escapeMarkdown(r.target)}`)].join('\n') + more(plan.remote.length));
  if (plan.findings.length) {
    const sorted = [...plan.findings].sort((a, b) => ['critical', 'high', 'medium', 'low', 'info'].indexOf(a.severity) - ['critical', 'high', 'medium', 'low', 'info'].indexOf(b.severity));
    parts.push([`**Findings** (${plan.findings.length})`, ...sorted.slice(0, MAX_LISTED).map(findingLine)].join('\n') + more(plan.findings.length));
  }
  if (plan.notes.length) parts.push(['**Notes**', ...plan.notes.map((n) => `- ${escapeMarkdown(n)}`)].join('\n'));
  return parts.join('\n\n');
}

/** One line saying how a run ended, for the chat. */
export function outcomeMarkdown(result: RunResult): string {
  if (result.outcome === 'succeeded') return '';
  return `**${result.outcome === 'failed' ? 'Failed' : result.outcome === 'cancelled' ? 'Cancelled' : 'Declined'}:** ${escapeMarkdown(result.error ?? 'nothing was changed.')}`;
}

/** Whether the plan has anything to apply (files, commands, remote changes). */
export const hasEffects = (plan: AgentPlan): boolean => plan.edits.length + plan.commands.length + plan.remote.length > 0;

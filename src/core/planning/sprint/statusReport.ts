import { escapeMarkdown } from '../../chat/markdown';
import { type BacklogRow, byPriority, type IterationInfo, isOpen, round, samePath } from './backlog';
import { dayOf } from './calendar';
import { type TeamCapacity } from './capacity';
import { type Forecast, type VelocitySummary } from './velocity';

/**
 * A status report of one iteration: what is done, in progress, blocked and not started, and the
 * risks a lead looks for: work past its iteration's end or its target date, items with no
 * estimate, items blocked for more than a few days, and people with more remaining work than hours.
 */
export type RiskKind = 'overdue' | 'unestimated' | 'blockedTooLong' | 'overloaded';

export interface Risk {
  readonly kind: RiskKind;
  readonly id?: number;
  readonly title: string;
  readonly why: string;
}

export interface StatusEntry {
  readonly id: number;
  readonly type: string;
  readonly title: string;
  readonly state: string;
  readonly assignedTo?: string;
  readonly estimate?: number;
  readonly url?: string;
}

export interface SprintStatus {
  readonly iteration: IterationInfo;
  readonly done: readonly StatusEntry[];
  readonly inProgress: readonly StatusEntry[];
  readonly blocked: readonly StatusEntry[];
  readonly notStarted: readonly StatusEntry[];
  readonly risks: readonly Risk[];
  /** Estimate done of estimate planned (requirement level). */
  readonly points: { readonly done: number; readonly planned: number };
}

export interface StatusInput {
  readonly iteration: IterationInfo;
  readonly iterations: readonly IterationInfo[];
  readonly rows: readonly BacklogRow[];
  readonly now: Date;
  /** Capacity from today on, for overload; undefined when the team set none. */
  readonly capacity?: TeamCapacity;
  /** The estimate's name (capacity in the estimate unit says it in the risks). */
  readonly unit?: string;
  /** An item blocked for more than this many days is a risk (default 3). */
  readonly blockedDays?: number;
  /** When each blocked item became blocked (ISO), from the tracker's history. */
  readonly blockedSince?: ReadonlyMap<number, string>;
}

const DAY = 86_400_000;
const entry = (r: BacklogRow): StatusEntry => ({ id: r.id, type: r.type, title: r.title, state: r.state, ...(r.assignedTo ? { assignedTo: r.assignedTo } : {}), ...(r.estimate !== undefined ? { estimate: r.estimate } : {}), ...(r.url ? { url: r.url } : {}) });

export function sprintStatus(input: StatusInput): SprintStatus {
  const { iteration, rows, now } = input;
  const today = dayOf(now.toISOString());
  const inIteration = rows.filter((r) => r.category !== 'Removed' && samePath(r.iterationPath, iteration.path)).sort(byPriority);
  const requirements = inIteration.filter((r) => r.level === 'requirement');
  const risks: Risk[] = [];

  // Overdue: open work left in an iteration that has ended, or past its own target date.
  const ended = input.iterations.filter((i) => i.finish && dayOf(i.finish) < today);
  for (const r of rows.filter((x) => isOpen(x) && x.level === 'requirement').sort(byPriority)) {
    const past = ended.find((i) => samePath(i.path, r.iterationPath));
    if (past) risks.push({ kind: 'overdue', id: r.id, title: r.title, why: `still ${r.state} in ${past.name}, which ended ${past.finish!.slice(0, 10)}` });
    else if (r.dueAt && dayOf(r.dueAt) < today) risks.push({ kind: 'overdue', id: r.id, title: r.title, why: `target date ${r.dueAt.slice(0, 10)} has passed (${r.state})` });
  }
  for (const r of requirements.filter((x) => isOpen(x) && x.estimate === undefined)) risks.push({ kind: 'unestimated', id: r.id, title: r.title, why: `${r.type} with no estimate in ${iteration.name}` });
  const limit = input.blockedDays ?? 3;
  for (const r of inIteration.filter((x) => x.blocked && isOpen(x))) {
    // From the change that blocked it (the tracker's history); without one, its last change is the best bound.
    const since = input.blockedSince?.get(r.id);
    const from = since ?? r.changedAt;
    const days = from ? Math.floor((now.getTime() - Date.parse(from)) / DAY) : undefined;
    if (days === undefined || Number.isNaN(days) || days <= limit) continue;
    risks.push({ kind: 'blockedTooLong', id: r.id, title: r.title, why: since ? `blocked since ${since.slice(0, 10)} (${days} days)` : `blocked and unchanged for ${days} days (its history does not say when it was blocked)` });
  }
  if (input.capacity) {
    for (const m of input.capacity.members) {
      const who = m.member.toLowerCase();
      // Hours: open tasks' remaining work. In the estimate unit (GitHub): open items' estimates.
      const byEstimate = input.capacity.measure === 'estimate';
      const level = byEstimate ? 'requirement' : 'task';
      const mine = inIteration.filter((r) => r.level === level && isOpen(r) && r.assignedTo && (r.assignedTo.toLowerCase() === who || r.assignedTo.toLowerCase() === m.displayName.toLowerCase() || r.assignedTo.toLowerCase().includes(`<${who}>`)));
      const load = round(mine.reduce((s, r) => s + ((byEstimate ? r.estimate : r.remainingWork) ?? 0), 0));
      const u = byEstimate ? ` ${input.unit ?? 'points'}` : ' h';
      const things = byEstimate ? `open item${mine.length === 1 ? '' : 's'}` : `task${mine.length === 1 ? '' : 's'}`;
      if (load > m.hours + 1e-9) risks.push({ kind: 'overloaded', title: m.displayName, why: `${load}${u} of ${byEstimate ? 'open estimates' : 'remaining work'} on ${mine.length} ${things}, ${m.hours}${u} of capacity left` });
    }
  }
  return {
    iteration,
    done: inIteration.filter((r) => r.category === 'Completed').map(entry),
    inProgress: inIteration.filter((r) => !r.blocked && (r.category === 'InProgress' || r.category === 'Resolved')).map(entry),
    blocked: inIteration.filter((r) => r.blocked && isOpen(r)).map(entry),
    notStarted: inIteration.filter((r) => !r.blocked && r.category === 'Proposed').map(entry),
    risks,
    points: { done: round(requirements.filter((r) => r.category === 'Completed').reduce((s, r) => s + (r.estimate ?? 0), 0)), planned: round(requirements.reduce((s, r) => s + (r.estimate ?? 0), 0)) },
  };
}

/** Outside text (titles, names) as it shows in the report: one line, no Markdown of its own. */
const text = (s: string): string => escapeMarkdown(s.replace(/[\r\n]+/g, ' ').trim());

export interface ReportInput {
  readonly where: string;
  readonly unit: string;
  readonly now: Date;
  readonly status: SprintStatus;
  readonly velocity: VelocitySummary;
  readonly forecast?: Forecast;
  readonly reference: (id: number) => string;
}

export function statusMarkdown(input: ReportInput): string {
  const { status, velocity, unit, reference } = input;
  const it = status.iteration;
  const lines: string[] = [];
  const line = (e: StatusEntry): string => `- ${reference(e.id)} ${text(e.title)} (${text(e.type)}, ${text(e.state)}${e.assignedTo ? `, ${text(e.assignedTo)}` : ''}${e.estimate !== undefined ? `, ${e.estimate} ${unit}` : ''})`;
  const section = (title: string, entries: readonly StatusEntry[]): void => {
    lines.push(`## ${title} (${entries.length})`, '');
    lines.push(...(entries.length ? entries.map(line) : ['None.']), '');
  };
  lines.push(`# Status of ${text(it.name)}: ${text(input.where)}`, '');
  lines.push(`Written ${input.now.toISOString().slice(0, 16).replace('T', ' ')} UTC${it.start && it.finish ? `; the iteration runs ${it.start.slice(0, 10)} to ${it.finish.slice(0, 10)}` : ''}. ${status.points.done} of ${status.points.planned} ${unit} done.`, '');
  section('Done', status.done);
  section('In progress', status.inProgress);
  section('Blocked', status.blocked);
  section('Not started', status.notStarted);
  lines.push(`## Risks (${status.risks.length})`, '');
  const names: Record<RiskKind, string> = { overdue: 'Overdue', unestimated: 'Unestimated', blockedTooLong: 'Blocked too long', overloaded: 'Overloaded' };
  lines.push(...(status.risks.length ? status.risks.map((r) => `- **${names[r.kind]}**: ${r.id !== undefined ? `${reference(r.id)} ` : ''}${text(r.title)}: ${text(r.why)}`) : ['None found.']), '');
  lines.push('## Velocity', '');
  if (velocity.iterations.length === 0) lines.push('No past iteration has work assigned yet, so there is no velocity.', '');
  else {
    // Planned is the estimate in the iteration at its start (from the tracker's history); "n/a" where the tracker keeps none.
    lines.push(`| Iteration | Planned | Completed | Completed late | Incomplete | Velocity |`, `| --- | ---: | ---: | ---: | ---: | ---: |`);
    for (const v of velocity.iterations) lines.push(`| ${text(v.iteration)} | ${v.planned ?? 'n/a'} | ${v.completed} | ${v.completedLate} | ${v.incomplete} | ${v.velocity} |`);
    const known = velocity.iterations.some((v) => v.planned !== undefined);
    lines.push(
      '',
      `Average velocity: ${velocity.average} ${unit} a sprint (${velocity.iterations.length} past iteration${velocity.iterations.length === 1 ? '' : 's'}). ${known ? 'Planned is the estimate that was in the iteration at its start; completed late means closed after its end.' : 'Planned is not known: this tracker keeps no history of which iteration an item was in.'}`,
      '',
    );
  }
  if (input.forecast) {
    const f = input.forecast;
    lines.push('## Forecast', '');
    lines.push(`The estimated backlog (${f.points} ${unit}) takes ${f.sprintsNeeded} sprint${f.sprintsNeeded === 1 ? '' : 's'} at ${f.velocity} ${unit} a sprint.`, '');
    for (const s of f.sprints) lines.push(`- Sprint +${s.sprint}${s.iteration ? ` (${text(s.iteration)})` : ''}: ${s.items.length ? `${s.points} ${unit}: ${s.items.map((i) => reference(i.id)).join(', ')}` : 'nothing finishes (the next item is bigger than a sprint)'}`);
    if (f.unestimated.length) lines.push(`- Not forecast (no estimate): ${f.unestimated.map((i) => reference(i.id)).join(', ')}`);
    if (f.tooBig.length) lines.push(`- Bigger than one sprint: ${f.tooBig.map((i) => `${reference(i.id)} (${i.estimate})`).join(', ')}`);
    lines.push('');
  }
  return `${lines.join('\n').trimEnd()}\n`;
}

import { MAX_ESTIMATE, type PlanLevel } from './planItem';

/**
 * Estimates written at the end of a heading or list item: `Pay by card [5]`, `[5 pts]`,
 * `(3 points)`, `[2 SP]`, and for tasks `Build the form [4h]`, `(6 hours)`. The brackets must be
 * the last thing on the line, so a title that merely contains a number keeps it.
 */
export type EstimateUnit = 'points' | 'hours';

export interface TitleWithEstimate {
  readonly title: string;
  readonly estimate: number | undefined;
  /** The unit written, when one was. */
  readonly unit: EstimateUnit | undefined;
}

const UNITS: Readonly<Record<string, EstimateUnit>> = {
  pt: 'points',
  pts: 'points',
  point: 'points',
  points: 'points',
  sp: 'points',
  'story point': 'points',
  'story points': 'points',
  h: 'hours',
  hr: 'hours',
  hrs: 'hours',
  hour: 'hours',
  hours: 'hours',
};

const TRAILING = /\s*[[(]\s*(\d+(?:[.,]\d+)?)\s*([a-z]+(?: points?)?)?\s*[\])]\s*$/i;

export function splitEstimate(text: string): TitleWithEstimate {
  const m = TRAILING.exec(text);
  if (!m || m.index === 0) return { title: text.trim(), estimate: undefined, unit: undefined };
  // `Title \[3]`: escaped brackets are part of the title (the preview writes them so).
  const bracket = m.index + m[0].length - m[0].trimStart().length;
  if (text[bracket - 1] === '\\') return { title: text.trim(), estimate: undefined, unit: undefined };
  const unitWord = m[2]?.toLowerCase();
  const unit = unitWord === undefined ? undefined : UNITS[unitWord];
  // "(v2)" or "[beta]" is part of the title, not an estimate.
  if (unitWord !== undefined && unit === undefined) return { title: text.trim(), estimate: undefined, unit: undefined };
  const estimate = Number(m[1]!.replace(',', '.'));
  if (!Number.isFinite(estimate) || estimate > MAX_ESTIMATE) return { title: text.trim(), estimate: undefined, unit: undefined };
  return { title: text.slice(0, m.index).trim(), estimate, unit };
}

/** The unit an estimate has at a level: tasks are estimated in hours, everything above in points. */
export const unitOf = (level: PlanLevel): EstimateUnit => (level === 'task' ? 'hours' : 'points');

const trim = (n: number): string => String(Math.round(n * 100) / 100);

/** `[5 pts]`, `[4h]`: what the preview writes after a title. */
export function formatEstimate(level: PlanLevel, estimate: number | undefined): string {
  if (estimate === undefined) return '';
  return unitOf(level) === 'hours' ? ` [${trim(estimate)}h]` : ` [${trim(estimate)} pts]`;
}

import { type RunResult } from '../runtime/runAgent';

/**
 * After a bootstrap on GitHub: the Project it set up (found or created), when the workspace does
 * not use it yet (aiDevops.github.projectNumber unset or another number), so the editor can offer
 * to set it. A run that did not succeed, or that did not reach the Project, offers nothing.
 */
export function githubProjectToConnect(result: Pick<RunResult, 'outcome' | 'plan' | 'applied'>, configured: number | null | undefined): { readonly number: number; readonly title: string } | undefined {
  if (result.outcome !== 'succeeded') return undefined;
  const planned = (result.plan?.result ?? {}) as { tracker?: unknown; number?: unknown; project?: unknown };
  if (planned.tracker !== 'github') return undefined;
  // A Project created by this run: its number is what the create step answered.
  const step = result.applied.remote.find((r) => r.id === 'project' && r.kind === 'github.projectSetup' && r.outcome === 'applied');
  const made = step?.result !== null && typeof step?.result === 'object' && !Array.isArray(step.result) ? (step.result as { number?: unknown }).number : undefined;
  const number = typeof made === 'number' ? made : planned.number;
  if (typeof number !== 'number' || !Number.isInteger(number) || number <= 0 || number === configured) return undefined;
  return { number, title: typeof planned.project === 'string' ? planned.project : `Project ${number}` };
}

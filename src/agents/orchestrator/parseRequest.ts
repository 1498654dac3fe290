import { PROCESS_TEMPLATES } from '../../core/bootstrap/projectSetup';
import { type BootstrapInput, BootstrapInputSchema } from './bootstrapInput';

export type ParsedBootstrap = { readonly ok: true; readonly input: BootstrapInput; readonly understood: string[] } | { readonly ok: false; readonly message: string };

const OTHER_CHOICE = /\b(?:sprints?|iterations?|reviewers?|approvals?|approvers?|weeks?|process|basic|agile|scrum|cmmi|pipeline|build validation|starting|from|with)\b/i;
const WEEKS: Readonly<Record<string, number>> = { one: 1, two: 2, three: 3, four: 4, five: 5 };

/**
 * `@devops /bootstrap …` sentences to the bootstrap input, by keywords: the choices are few and
 * named, so no model is needed and the same sentence always means the same. What the sentence
 * names is checked by the input's own schema, so a name Azure DevOps would refuse is refused here.
 */
export function parseBootstrapRequest(prompt: string): ParsedBootstrap {
  const text = prompt.trim();
  const lower = text.toLowerCase();
  const input: Record<string, unknown> = {};

  // "on GitHub" / "in Azure DevOps": which service's project; otherwise the configured default tracker.
  if (/\bgithub\b/.test(lower)) input['tracker'] = 'github';
  else if (/\bazure\b/.test(lower)) input['tracker'] = 'azureBoards';
  const quoted = /\b(?:project|called|named)\s+["'`“]([^"'`”]+)["'`”]/i.exec(text);
  const named = quoted ?? /\b(?:project|called|named)\s+(?!with\b|using\b|on\b|in\b|and\b|called\b|named\b)([A-Za-z0-9][\w.-]*)/i.exec(text);
  if (named) input['project'] = named[1]!.trim();
  const process = PROCESS_TEMPLATES.find((p) => new RegExp(`\\b${p.toLowerCase()}\\b`).test(lower));
  if (process) input['process'] = process;
  const sprints = /\b(\d{1,2})\s+(?:[\w-]+\s+)?(?:sprints?|iterations?)\b/.exec(lower);
  if (sprints) input['sprints'] = Number(sprints[1]);
  else if (/\bno\s+(?:sprints?|iterations?)\b/.test(lower)) input['sprints'] = 0;
  const length = /\b(\d|one|two|three|four|five)[- ]weeks?\b/.exec(lower);
  if (length) input['sprintDays'] = 7 * (WEEKS[length[1]!] ?? Number(length[1]));
  const areas = /\bareas?(?:\s+paths?)?\s*:?\s+(.+)$/i.exec(text);
  if (areas) {
    // The list runs until an item that is another choice ("4 sprints", "1 reviewer", "scrum").
    const items = areas[1]!.split(/\s*(?:,|;|\band\b)\s*/).map((a) => a.replace(/[.!?]+$/, '').trim());
    const end = items.findIndex((a) => OTHER_CHOICE.test(a));
    input['areas'] = (end < 0 ? items : items.slice(0, end)).filter(Boolean).join(',');
  }
  const reviewers = /\b(\d{1,2})\s+(?:required\s+)?(?:reviewers?|approvals?|approvers?)\b/.exec(lower);
  if (reviewers) input['minimumReviewers'] = Number(reviewers[1]);
  const start = /\b(?:starting|from|start)\s+(\d{4}-\d{2}-\d{2})\b/.exec(lower);
  if (start) input['start'] = start[1];
  const pipeline = /\b(?:build validation|validate)\s+(?:with|by|using)\s+["'`]?([\w .-]+?)["'`]?(?=$|[,;.]\s|\s+and\b)/i.exec(text) ?? /\bpipeline\s+["'`]([^"'`]+)["'`]/i.exec(text);
  if (pipeline) input['pipeline'] = pipeline[1]!.trim();

  const parsed = BootstrapInputSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, message: `I could not use that: ${issue?.path.join('.') || 'the request'}: ${issue?.message}. Try for example \`@devops /bootstrap\`, \`/bootstrap project "Orders" with scrum\` or \`/bootstrap 4 two-week sprints, areas Web, API, 1 reviewer\`.` };
  }
  const r = parsed.data;
  if (r.tracker === 'github') {
    const understood = [r.project ? `the GitHub Project titled ${r.project}` : 'the GitHub Project aiDevops.github.projectNumber names, or one titled after the repository', r.sprints ? `an iteration field with ${r.sprints} sprint${r.sprints === 1 ? '' : 's'} of ${r.sprintDays} days${r.start ? ` from ${r.start}` : ' from next Monday'}` : 'no iteration field', 'Status options for every lifecycle state', 'an Estimate number field'];
    return { ok: true, input: r, understood };
  }
  const understood = [
    r.project ? `project: ${r.project}` : 'the connected project',
    `process: ${r.process} (for a new project; an existing one keeps its own)`,
    r.sprints ? `${r.sprints} sprint${r.sprints === 1 ? '' : 's'} of ${r.sprintDays} days${r.start ? ` from ${r.start}` : ' from next Monday'}` : 'no sprints',
    r.areas.length ? `area paths: ${r.areas.join(', ')}` : 'no area paths',
    `${r.minimumReviewers} reviewer${r.minimumReviewers === 1 ? '' : 's'} on main`,
    ...(r.pipeline ? [`build validation with ${r.pipeline}`] : []),
  ];
  return { ok: true, input: r, understood };
}

/**
 * Turns a resource location's route template into the concrete path patterns the server's Router
 * matches. azure-devops-node-api drops a `{value}` segment (with its `/`) when it has no value, so
 * `{project}/{team}/_apis/wit/wiql` is sent as `P/T/_apis/wit/wiql`, `P/_apis/wit/wiql` or
 * `_apis/wit/wiql`: leading values (before the first literal) and trailing values (after the last)
 * are optional; values between literals are not.
 */
export interface ExpandedPattern {
  readonly pattern: string;
  readonly literals: number;
  readonly params: number;
  readonly wildcard: boolean;
}

type Segment = { kind: 'literal'; text: string } | { kind: 'param'; name: string } | { kind: 'wildcard'; name: string };

function parseSegment(raw: string): Segment {
  const param = /^\$?\{(\*?)(\w+)\}$/.exec(raw);
  if (!param) return { kind: 'literal', text: raw };
  const [, star, name] = param as unknown as [string, string, string];
  // Only a path may hold slashes; other catch-alls (`{*projectId}`) carry one value.
  return star && name === 'path' ? { kind: 'wildcard', name } : { kind: 'param', name };
}

export function expandRouteTemplate(template: string, area: string, resource: string, organization: string): ExpandedPattern[] {
  const segments = template
    .replace(/\{area\}/g, area)
    .replace(/\{resource\}/g, resource)
    .split('/')
    .filter((s) => s.length > 0)
    .map(parseSegment);
  const firstLiteral = segments.findIndex((s) => s.kind === 'literal');
  let lastLiteral = -1;
  segments.forEach((s, i) => {
    if (s.kind === 'literal') lastLiteral = i;
  });
  const leading = segments.slice(0, firstLiteral);
  const middle = segments.slice(firstLiteral, lastLiteral + 1);
  const trailing = segments.slice(lastLiteral + 1);
  const out: ExpandedPattern[] = [];
  for (let lead = leading.length; lead >= 0; lead--) {
    for (let trail = trailing.length; trail >= 0; trail--) {
      const chosen = [...leading.slice(0, lead), ...middle, ...trailing.slice(0, trail)];
      const text = chosen.map((s) => (s.kind === 'literal' ? s.text : s.kind === 'param' ? `:${s.name}` : `*${s.name}`)).join('/');
      out.push({
        pattern: `/${organization}/${text}`,
        literals: chosen.filter((s) => s.kind === 'literal').length + 1,
        params: chosen.filter((s) => s.kind !== 'literal').length,
        wildcard: chosen.some((s) => s.kind === 'wildcard'),
      });
    }
  }
  return out;
}

/** More literal segments first, catch-alls last: a `{*path}` of one resource must not swallow another's path. */
export function compareSpecificity(a: ExpandedPattern, b: ExpandedPattern): number {
  if (a.literals !== b.literals) return b.literals - a.literals;
  if (a.wildcard !== b.wildcard) return a.wildcard ? 1 : -1;
  return b.params - a.params;
}

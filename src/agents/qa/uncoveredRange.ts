/**
 * The run of uncovered lines around a line, from a coverage report's per-line counts
 * (`[line, hits]`, 1-based): what "Generate tests for the uncovered lines" offers. Lines the report
 * does not name (blank lines, comments) neither end a run nor start one.
 */
export function uncoveredRange(lines: readonly (readonly [number, number])[], at: number): readonly [number, number] | undefined {
  const hits = new Map<number, number>();
  for (const [line, count] of lines) if (line > 0) hits.set(line, (hits.get(line) ?? 0) + count);
  const measured = [...hits.keys()].sort((a, b) => a - b);
  // The line asked about, or the first measured line after it when it is not measured itself (a blank line inside the range).
  const index = measured.findIndex((l) => l >= at);
  if (index < 0) return undefined;
  const previous = index > 0 ? measured[index - 1]! : undefined;
  const start = measured[index] === at ? index : previous !== undefined && hits.get(previous) === 0 && hits.get(measured[index]!) === 0 ? index : -1;
  if (start < 0 || hits.get(measured[start]!) !== 0) return undefined;
  let first = start;
  while (first > 0 && hits.get(measured[first - 1]!) === 0) first--;
  let last = start;
  while (last < measured.length - 1 && hits.get(measured[last + 1]!) === 0) last++;
  return [measured[first]!, measured[last]!];
}

import { type QaRunInput } from './qaAgent';

/**
 * `@devops /test` sentences to the run's input, by keywords: the choices are few and named, so no
 * model is needed and the same sentence always means the same. What was understood is said back
 * before anything runs. The editor always asks for `detail` (every test case for the Testing view,
 * per-line coverage for the gutter).
 */
export type Parsed = { readonly ok: true; readonly input: QaRunInput; readonly understood: string[] } | { readonly ok: false; readonly message: string };

const NEGATED = /\b(no|without|don'?t|do not|skip(ping)?)\s+(the\s+)?/;

function wants(text: string, word: RegExp): boolean {
  const m = word.exec(text);
  if (!m) return false;
  // "without coverage", "don't file bugs": the few words before the keyword say no.
  const before = text.slice(Math.max(0, m.index - 24), m.index);
  return !new RegExp(`${NEGATED.source}(\\w+\\s+)?$`).test(before);
}

/** A workspace-relative folder or file named in the sentence (`in packages/api`, `tests/test_calc.py`). */
function pathIn(prompt: string): string | undefined | { readonly bad: string } {
  for (const token of prompt.split(/\s+/)) {
    const t = token.replace(/^[`'"(]+|[`'"),.;:!?]+$/g, '');
    if (!/[/\\]/.test(t) && !/\.(js|cjs|mjs|ts|tsx|jsx|py|go|rs)$/.test(t)) continue;
    if (/^[a-z]+:\/\//i.test(t)) continue;
    if (t.startsWith('/') || /^[a-z]:[\\/]/i.test(t) || t.split(/[\\/]/).includes('..')) return { bad: t };
    return t.replace(/\\/g, '/').replace(/^\.\//, '').replace(/\/+$/, '') || undefined;
  }
  return undefined;
}

export function parseTestRequest(prompt: string): Parsed {
  const text = prompt.toLowerCase();
  const understood: string[] = [];
  const input: { -readonly [K in keyof QaRunInput]: QaRunInput[K] } = { detail: true };
  const where = pathIn(prompt);
  if (where && typeof where === 'object') return { ok: false, message: `\`${where.bad.replace(/`/g, "'")}\` is not a folder or file inside this workspace: name one relative to the workspace folder (for example \`packages/api\`).` };
  if (where) input.only = where;
  understood.push(where ? `only the suites under ${where}` : 'every test suite in the workspace');
  if (wants(text, /\bcoverage\b|\bcovered\b/)) input.coverage = true;
  understood.push(input.coverage ? 'with coverage' : 'without coverage');
  if (/\b(no|without|skip(ping)?|don'?t)\s+(the\s+)?re-?runs?\b|\bno[- ]rerun\b/.test(text)) {
    input['no-rerun'] = true;
    understood.push('failures are not run again');
  }
  if (wants(text, /\b(file|open|create|raise|log)\b[\w\s]{0,12}\bbugs?\b|\bbugs? for\b/)) {
    input.bugs = true;
    understood.push('a Bug per failing test (after your review)');
  }
  if (wants(text, /\bcomment\b/)) {
    input.comment = true;
    understood.push('a summary comment on the work item (after your review)');
  }
  if (wants(text, /\bpublish\b|\btest plans?\b/)) {
    input.publish = true;
    understood.push('the run published to Azure Test Plans (after your review)');
  }
  const item = /(?:work ?item|#|ab#|task|story|bug)\s*(\d{1,9})\b/i.exec(prompt);
  if (item && (input.bugs || input.comment)) {
    input['work-item'] = Number(item[1]);
    understood.push(`for work item ${item[1]}`);
  }
  return { ok: true, input, understood };
}

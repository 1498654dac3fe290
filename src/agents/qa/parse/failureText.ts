/**
 * What a failure's text says beyond its message: where it failed (the first stack frame in a
 * workspace file) and, for assertion libraries that print them, the expected and actual values.
 */
import { workspaceRelative } from './paths';

const FRAME = /(?:\(|\bat\s+|File ")?((?:[A-Za-z]:)?[^\s()"':]+\.(?:[cm]?[jt]sx?|py|go|rs|cs|fs|java|kt)):(?:\s*line\s*)?(\d+)(?::\d+)?/g;
const PY_FRAME = /File "([^"]+)", line (\d+)/g;

/** The first frame of the stack that points into the workspace, outside node_modules and the standard library. */
export function failureLocation(text: string, root: string, base: string, preferFile?: string): { file: string; line: number } | undefined {
  const found: { file: string; line: number }[] = [];
  for (const re of [PY_FRAME, FRAME]) {
    re.lastIndex = 0;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      if (/node_modules|site-packages|node:internal|\/lib\/python\d/.test(m[1]!)) continue;
      const file = workspaceRelative(root, base, m[1]!);
      if (file) found.push({ file, line: Number(m[2]) });
    }
  }
  if (preferFile) {
    // Python tracebacks end with the innermost frame; the test file's last frame is the failing line.
    const inTest = found.filter((f) => f.file === preferFile);
    if (inTest.length > 0) return /Traceback|^E\s/m.test(text) ? inTest[inTest.length - 1] : inTest[0];
  }
  return found[0];
}

/** Expected/actual as jest, vitest and pytest print them. */
export function expectedActual(text: string): { expected?: string; actual?: string } {
  const jest = /Expected(?: value)?:\s*(.+)\n\s*Received(?: value)?:\s*(.+)/.exec(text);
  if (jest) return { expected: clean(jest[1]!), actual: clean(jest[2]!) };
  const py = /^E?\s*(?:AssertionError: )?assert (.+?) == (.+)$/m.exec(text);
  if (py) return { actual: py[1]!.trim(), expected: py[2]!.trim() };
  const unittest = /AssertionError: (.+?) != (.+)$/m.exec(text);
  if (unittest) return { actual: unittest[1]!.trim(), expected: unittest[2]!.trim() };
  const rust = /left: (.+)\n\s*right: (.+)/.exec(text);
  if (rust) return { actual: rust[1]!.trim(), expected: rust[2]!.trim() };
  // node:assert's error as util.inspect prints it (node --test's JUnit body).
  const node = /^\s*actual: (.+),\n\s*expected: (.+?),?$/m.exec(text);
  if (node) return { actual: node[1]!.trim(), expected: node[2]!.trim() };
  return {};
}

// eslint-disable-next-line no-control-regex
const clean = (s: string): string => s.replace(/\u001b\[[0-9;]*m/g, '').trim();
// eslint-disable-next-line no-control-regex
export const stripAnsi = (s: string): string => s.replace(/\u001b\[[0-9;]*[A-Za-z]/g, '');

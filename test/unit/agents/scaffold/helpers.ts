import assert from 'node:assert/strict';
import { parse } from 'yaml';
import type { ScaffoldOutput } from '../../../../src/agents/scaffold/output';

export function file(output: ScaffoldOutput, path: string): string {
  const found = output.files.find((f) => f.path === path);
  assert.ok(found, `no ${path} among ${output.files.map((f) => f.path).join(', ')}`);
  return found.content;
}

export const paths = (output: ScaffoldOutput): string[] => output.files.map((f) => f.path);

export function yamlFile(output: ScaffoldOutput, path: string): Record<string, unknown> {
  return parse(file(output, path)) as Record<string, unknown>;
}

/** Every path relative, inside the project, unique; every file ends with a newline (or is empty). */
export function assertWellFormed(output: ScaffoldOutput): void {
  const seen = new Set<string>();
  for (const f of output.files) {
    assert.ok(!f.path.startsWith('/') && !f.path.split('/').includes('..') && !f.path.includes('\\'), `unsafe path ${f.path}`);
    assert.ok(!seen.has(f.path), `duplicate path ${f.path}`);
    seen.add(f.path);
    assert.ok(f.content === '' || f.content.endsWith('\n'), `${f.path} does not end with a newline`);
    assert.ok(!/\n\n\n\n/.test(f.content), `${f.path} has a run of blank lines`);
    // An interpolated undefined or object; TypeScript may say `undefined` on purpose, other files never.
    const slip = /\.(ts|tsx|vue)$/.test(f.path) ? /^\s*undefined\s*$|[A-Za-z_'"/]undefined|undefined[A-Za-z_'"/]|\[object Object\]|TODO/m : /undefined|\[object Object\]|TODO/;
    assert.doesNotMatch(f.content, slip, `${f.path} holds a rendering slip`);
  }
}

/** The Dockerfile rules every template keeps: two stages or more, a non-root USER before CMD, a HEALTHCHECK. */
export function assertHardenedDockerfile(dockerfile: string): void {
  assert.ok((dockerfile.match(/^FROM /gm) ?? []).length >= 2, 'not multi-stage');
  const user = dockerfile.match(/^USER (\S+)/m);
  assert.ok(user, 'no USER');
  assert.doesNotMatch(user[1] ?? '', /^(root|0)(:|$)/);
  const lines = dockerfile.split('\n');
  const userLine = lines.findIndex((l) => l.startsWith('USER '));
  const lastFrom = lines.map((l, i) => (l.startsWith('FROM ') ? i : -1)).filter((i) => i >= 0).pop() ?? 0;
  assert.ok(userLine > lastFrom, 'USER is not in the final stage');
  assert.match(dockerfile, /^HEALTHCHECK .*CMD /m);
  assert.match(dockerfile, /^CMD \[/m);
}

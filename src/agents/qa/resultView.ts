import { z } from 'zod';

/**
 * The QA run's result as the editor reads it (`plan.result` with `detail`): checked with zod,
 * because it comes back through the agent runtime and the kept plans as plain JSON, and turned
 * into the Testing view's tree: file › suite › … › test, ids stable across runs so VS Code keeps
 * the tree and its history when the same tests run again.
 */
const Line = z.number().int().positive();

const FailureSchema = z.object({
  message: z.string(),
  expected: z.string().optional(),
  actual: z.string().optional(),
  stack: z.string().optional(),
  file: z.string().optional(),
  line: Line.optional(),
});

const TestSchema = z.object({
  id: z.string().min(1),
  framework: z.string(),
  file: z.string().optional(),
  line: Line.optional(),
  suite: z.array(z.string()),
  name: z.string(),
  status: z.enum(['passed', 'failed', 'skipped', 'flaky']),
  durationMs: z.number().nonnegative().optional(),
  failure: FailureSchema.optional(),
  output: z.string().optional(),
});

const Pair = z.tuple([z.number().int().nonnegative(), z.number().int().nonnegative()]);

const FileCoverageSchema = z.object({
  file: z.string().min(1),
  lines: Pair,
  branches: Pair,
  functions: Pair,
  /** [line, hits] */
  l: z.array(z.tuple([z.number().int(), z.number()])).optional(),
  /** [line, block, branch, taken] */
  b: z.array(z.tuple([z.number().int(), z.number().int(), z.number().int(), z.number()])).optional(),
  /** [name, line, hits] */
  f: z.array(z.tuple([z.string(), z.number().int(), z.number()])).optional(),
});

const ProjectSchema = z.object({
  framework: z.string(),
  dir: z.string(),
  command: z.string(),
  exitCode: z.number().nullable(),
  problem: z.string().optional(),
  output: z.string().optional(),
});

export const QaResultSchema = z.object({
  totals: z.object({ passed: z.number(), failed: z.number(), skipped: z.number(), flaky: z.number() }),
  tests: z.array(TestSchema).default([]),
  projects: z.array(ProjectSchema).default([]),
  coverage: z.object({ detail: z.array(FileCoverageSchema).optional() }).passthrough().nullable(),
});

export type QaResult = z.infer<typeof QaResultSchema>;
export type QaTestResult = z.infer<typeof TestSchema>;
export type QaFileCoverage = z.infer<typeof FileCoverageSchema>;

/** The result, or undefined when it is not a QA run's (another agent, a plan without a result). */
export function readQaResult(result: unknown): QaResult | undefined {
  const parsed = QaResultSchema.safeParse(result);
  return parsed.success ? parsed.data : undefined;
}

const ListedSchema = TestSchema.pick({ id: true, framework: true, file: true, line: true, suite: true, name: true });

/** `qa discover`'s result: tests listed without running them, and test files whose tests only a run can name. */
export const QaDiscoverySchema = z.object({
  discovered: z.literal(true),
  tests: z.array(ListedSchema),
  files: z.array(z.string().min(1)),
});

export type QaDiscovery = z.infer<typeof QaDiscoverySchema>;
export type QaListedTest = z.infer<typeof ListedSchema>;

export function readQaDiscovery(result: unknown): QaDiscovery | undefined {
  const parsed = QaDiscoverySchema.safeParse(result);
  return parsed.success ? parsed.data : undefined;
}

/** The discovered tree: listed tests as a run's would be placed, and a file item for each other test file. */
export function discoveryTree(d: QaDiscovery): TestNode<QaListedTest>[] {
  const roots = testTree(d.tests);
  const have = new Set(roots.map((r) => r.id));
  for (const f of d.files) if (!have.has(f)) roots.push({ id: f, label: f, kind: 'file', file: f, children: [] });
  return roots.sort((a, b) => a.id.localeCompare(b.id));
}

export interface TestNode<T extends QaListedTest = QaTestResult> {
  /** Stable: the file, `file::suite > …`, or the test's own id. */
  readonly id: string;
  readonly label: string;
  readonly kind: 'file' | 'suite' | 'test';
  /** Workspace-relative, when known. */
  readonly file?: string;
  readonly line?: number;
  readonly children: TestNode<T>[];
  /** The test (tests only): its result after a run, what was listed after a discovery. */
  readonly test?: T;
}

/** Where a test belongs at the top: its file, else what its id names before `::` (a project or class). */
const placeOf = (t: QaListedTest): string => t.file ?? (t.id.includes('::') ? t.id.slice(0, t.id.indexOf('::')) : t.framework);

/** The tests as a tree, files sorted, suites and tests in the order the runner reported them. */
export function testTree<T extends QaListedTest>(tests: readonly T[]): TestNode<T>[] {
  const roots = new Map<string, TestNode<T>>();
  const byId = new Map<string, TestNode<T>>();
  for (const t of tests) {
    const place = placeOf(t);
    let parent = roots.get(place);
    if (!parent) {
      parent = { id: place, label: place, kind: 'file', ...(t.file ? { file: t.file } : {}), children: [] };
      roots.set(place, parent);
    }
    for (let i = 0; i < t.suite.length; i++) {
      const id = `${place}::${t.suite.slice(0, i + 1).join(' > ')}`;
      let suite = byId.get(id);
      if (!suite) {
        suite = { id, label: t.suite[i]!, kind: 'suite', ...(t.file ? { file: t.file } : {}), children: [] };
        byId.set(id, suite);
        parent.children.push(suite);
      }
      parent = suite;
    }
    // A runner that reports one test twice (a parametrised name) keeps the first: ids must be unique.
    if (byId.has(t.id)) continue;
    const node: TestNode<T> = { id: t.id, label: t.name, kind: 'test', ...(t.file ? { file: t.file } : {}), ...(t.line ? { line: t.line } : {}), children: [], test: t };
    byId.set(t.id, node);
    parent.children.push(node);
  }
  return [...roots.values()].sort((a, b) => a.id.localeCompare(b.id));
}

/**
 * The workspace folder or file a Testing view run of these nodes is narrowed to (`only`): the
 * deepest folder holding all of their files, undefined when that is the workspace itself.
 */
export function onlyFor(files: readonly string[]): string | undefined {
  if (files.length === 0) return undefined;
  if (files.length === 1 || files.every((f) => f === files[0])) return files[0];
  const parts = files.map((f) => f.split('/').slice(0, -1));
  const common: string[] = [];
  for (let i = 0; parts.every((p) => i < p.length && p[i] === parts[0]![i]); i++) common.push(parts[0]![i]!);
  return common.length ? common.join('/') : undefined;
}

import { type CommandResult, type FolderEntry } from '../../runtime/context';
import { type PlannedCommand } from '../../runtime/plan';
import { type Framework, type TestProject } from '../detect/projects';
import { type CoverageReport, type TestCase } from '../model';

/** What a runner needs to build its command and read its reports. */
export interface RunSetup {
  /** Absolute workspace root. */
  readonly root: string;
  /** Workspace-relative scratch folder of this run (reports go there). */
  readonly scratch: string;
  readonly coverage: boolean;
  /** Workspace-relative test files to run instead of the whole suite. */
  readonly files?: readonly string[];
  readonly timeoutMs?: number;
}

export interface CoverageSource {
  readonly path: string;
  readonly format: 'lcov' | 'cobertura' | 'istanbul' | 'go';
  /** The project's own output (coverage/…): read only when the run wrote it. */
  readonly projectOwned?: boolean;
}

export interface Invocation {
  readonly command: PlannedCommand;
  /** Workspace-relative files the runner writes its results to (read after the run). */
  readonly reports: readonly string[];
  readonly coverage: readonly CoverageSource[];
  /** Folders whose files written during the run are reports too (Surefire, Gradle, TRX). */
  readonly reportFolders?: readonly { readonly dir: string; readonly pattern: RegExp; readonly depth?: 1 | 2 }[];
  readonly notes: readonly string[];
}

export interface RunOutput {
  readonly result: CommandResult;
  /** Report text by workspace-relative path (undefined: the runner did not write it). */
  readonly reports: ReadonlyMap<string, string | undefined>;
  /** Reports found in reportFolders, written by this run. */
  readonly folderReports: readonly { readonly path: string; readonly text: string }[];
}

export interface Collected {
  readonly cases: TestCase[];
  readonly notes: string[];
  /** Why no result could be read (the runner crashed before writing its report…): a failure in itself. */
  readonly problem?: string;
}

export interface Runner {
  readonly framework: Framework;
  invocation(project: TestProject, setup: RunSetup): Invocation;
  collect(project: TestProject, output: RunOutput, setup: RunSetup): Collected;
  /** A command re-running only these failed tests once (to tell flaky from failing), when the runner can select tests. */
  rerun?(project: TestProject, failed: readonly TestCase[], setup: RunSetup): Invocation | undefined;
}

export const reportPath = (setup: RunSetup, project: TestProject, name: string): string => `${setup.scratch}/${(project.dir || 'root').replace(/[^A-Za-z0-9._-]+/g, '_')}-${name}`;

export const absolute = (setup: RunSetup, rel: string): string => `${setup.root.replace(/\/$/, '')}/${rel}`;

/** A regular expression matching exactly these names (for --grep, -t, -run). */
export const exactAlternation = (names: readonly string[]): string => `^(?:${names.map((n) => n.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('|')})$`;

export const isNewReport = (entry: FolderEntry, startedMs: number): boolean => entry.kind === 'file' && entry.modifiedMs >= startedMs - 1000;

/** When the runner wrote no report: what its output says, so the user sees why. */
export function noReport(framework: string, output: RunOutput, what: string): Collected {
  const r = output.result;
  const tail = (r.stderr.trim() || r.stdout.trim()).split('\n').slice(-8).join('\n');
  const why = r.timedOut ? `it timed out after ${Math.round(r.durationMs / 1000)} s` : `it exited with ${r.exitCode ?? 'a signal'}`;
  return { cases: [], notes: [], problem: `${framework} wrote no ${what} (${why})${tail ? `:\n${tail}` : '.'}` };
}

export type { CoverageReport };

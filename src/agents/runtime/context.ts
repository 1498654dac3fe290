import { type z } from 'zod';
import { type ChatCompletion, type ChatMessage, type ChatOptions } from '../../core/ai/messages';
import { type ModelInfo } from '../../core/ai/chatModel';
import { type WorkTracker } from '../../core/boards/workTracker';
import { type PlanningBoards } from '../../core/planning/planningBoards';
import { type DevOpsError } from '../../core/errors';
import { type Logger } from '../../core/host';
import { type TrackerKind } from '../../core/workItem';
import { type WorkspaceGit } from '../../providers/git/workspaceGit';
import { type AgentRecords } from './agentRecords';
import { type AgentPlan, type PlannedCommand } from './plan';

/**
 * What an agent gets to decide with. Everything here reads, or is policed by the runtime: files
 * are read through the path guard, commands run only through the command policy and after
 * approval, the model asks before workspace content goes to a cloud model. An agent never writes
 * a file, starts a process or calls a service itself; it returns a plan (plan.ts).
 */

export interface FileText {
  readonly text: string;
  /** SHA-256 of the bytes read: put it in a `modify` edit's `baseSha256`. */
  readonly sha256: string;
}

export interface ListOptions {
  /** Globs (picomatch syntax) to leave out, on top of .gitignore and the usual build folders. */
  readonly ignore?: readonly string[];
  /** Most paths returned (default 10,000); `truncated` says when there were more. */
  readonly max?: number;
}

export interface WorkspaceFiles {
  readonly root: string;
  /** A workspace file's text (UTF-8), or undefined when there is none; a file that is not UTF-8 text is a DevOpsError('invalidInput'). */
  read(path: string): Promise<FileText | undefined>;
  exists(path: string): Promise<boolean>;
  /** Workspace-relative paths (forward slashes) matching the globs, .gitignore respected, sorted. */
  list(patterns: readonly string[], options?: ListOptions): Promise<{ readonly paths: readonly string[]; readonly truncated: boolean }>;
  /**
   * The files `list` would name for the same globs and options whose bytes match `regex` (ripgrep's
   * syntax, case-insensitive), found by ripgrep (VS Code's own, or one on PATH for the CLI) without
   * reading them here. `{ engine: 'none', why }` when there is no ripgrep or it cannot run: the
   * caller reads the files itself.
   */
  search(patterns: readonly string[], regex: string, options?: ListOptions): Promise<FileSearch>;
  /** True when the folder holds nothing but editor and VCS metadata (.git, .vscode, .devops, .DS_Store). */
  isEmptyFolder(path: string): Promise<boolean>;
  /**
   * What one folder holds, as `ls` shows it: no ignore rules (build output such as
   * target/surefire-reports is usually ignored), not recursive; empty when there is no such folder.
   */
  entries(path: string): Promise<readonly FolderEntry[]>;
}

export type FileSearch =
  | {
      readonly engine: 'ripgrep';
      /** Workspace-relative paths of the matching files, sorted. */
      readonly paths: readonly string[];
      /** More matched than `max`. */
      readonly truncated: boolean;
      /** Files ripgrep looked at (after its ignore rules), when it said. */
      readonly searched: number | undefined;
      /** Some paths could not be read by ripgrep (permissions): they were skipped. */
      readonly partial: boolean;
    }
  | { readonly engine: 'none'; readonly why: string };

export interface FolderEntry {
  readonly name: string;
  readonly kind: 'file' | 'folder' | 'other';
  readonly size: number;
  readonly modifiedMs: number;
}

/** The read side of the workspace's git repository; writes (branches, commits, pushes) are plan steps. */
export type GitReader = Pick<
  WorkspaceGit,
  'isRepository' | 'currentBranch' | 'defaultBranch' | 'status' | 'diff' | 'recentCommits' | 'reachableTags' | 'historySinceTag' | 'tagsAndRemote' | 'commitsSince' | 'headCommit' | 'tagExists' | 'remoteUrl'
>;

export interface CommandResult {
  /** The command as the user reads it. */
  readonly display: string;
  readonly exitCode: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly timedOut: boolean;
  readonly durationMs: number;
}

export interface RunOptions {
  readonly onOutput?: (text: string) => void;
  /**
   * Files that exist only while the command runs (generated tests tried before they are proposed):
   * written by the runtime where no file is (path guard, never over an existing file), removed when
   * the command ends however it ends. Needs `writeFiles` as well as `runCommand`, and is asked
   * about every time under Ask (the content is new each time).
   */
  readonly withFiles?: readonly { readonly path: string; readonly content: string }[];
  /**
   * Environment variables the command must not see, besides the secret-looking ones it never sees:
   * a trial of a generated project runs on SQLite, never against the database the user's
   * DATABASE_URL names.
   */
  readonly unsetEnv?: readonly string[];
}

export interface CommandRunner {
  /**
   * Runs a command now (while planning: a test run, a linter): checked by the command policy,
   * approved under `runCommand`, audited, stopped on cancellation and after its time-out. A
   * refusal is a DevOpsError('refused') saying why; a non-zero exit is a result, not an error.
   */
  run(command: PlannedCommand, options?: RunOptions): Promise<CommandResult>;
}

/** The model as an agent sees it: approval before workspace content goes to a cloud model, a time-out on every call. */
export interface AgentModel {
  readonly info: ModelInfo;
  complete(messages: readonly ChatMessage[], options?: ChatOptions): Promise<ChatCompletion>;
  completeJson<T>(messages: readonly ChatMessage[], schema: z.ZodType<T>, options?: ChatOptions & { readonly schemaName?: string }): Promise<T>;
}

export interface AgentTrackers {
  azure(): WorkTracker | undefined;
  github(): WorkTracker | undefined;
  /** Which tracker a bare `#123` means. */
  readonly defaultTracker: TrackerKind;
  /**
   * The planner's reads of a tracker (its process, an epic's tree, what a plan made before),
   * loaded on first use; undefined when that tracker is not configured.
   */
  planning?(kind: TrackerKind): Promise<PlanningBoards | undefined>;
  /**
   * The work items linked to Azure Repos pull requests (by pull request id), over the Azure Boards
   * connection; undefined (the member or its answer) when Azure DevOps is not connected.
   */
  azurePullRequestWorkItems?(ids: readonly number[], signal?: AbortSignal): Promise<ReadonlyMap<number, readonly number[] | DevOpsError> | undefined>;
}

/**
 * Readers of outside data an agent needs besides the trackers (advisory databases, branch
 * policies), built by the host from its settings. Each agent declares its own members by
 * augmenting this interface from its folder (`declare module '../runtime/context'`), so the
 * runtime knows none of them; a member the host did not supply is undefined and the agent says
 * what it could not check.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled in by declaration merging, per agent
export interface AgentProviders {}

export interface AgentContext {
  /** The run's correlation id: every audit event of the run carries it. */
  readonly runId: string;
  readonly agent: string;
  /** Who runs it (the signed-in account or the OS user), for records the agent writes (a suppression's author). */
  readonly user: string | undefined;
  readonly workspaceRoot: string;
  readonly files: WorkspaceFiles;
  /** Undefined when the folder is not a git repository or git is not installed. */
  readonly git: GitReader | undefined;
  readonly commands: CommandRunner;
  readonly trackers: AgentTrackers;
  readonly providers: Partial<AgentProviders>;
  /** Undefined when no model is configured: every agent does its deterministic work without one. */
  readonly model: AgentModel | undefined;
  /** The agent's own records between runs, under `.devops/<agent>/` (agentRecords.ts). */
  readonly records: AgentRecords;
  /** A workspace-relative folder for this run only (report files); removed when the run ends. */
  scratch(): Promise<string>;
  /** A transient progress line in the UI (not audited). */
  progress(message: string): void;
  /** A step of the run: shown as progress and written to the audit trail as `run.step`. */
  step(message: string, metadata?: Record<string, unknown>): Promise<void>;
  readonly signal: AbortSignal;
  now(): Date;
  readonly log: Logger;
}

/**
 * One thing an agent can do (`scaffold project`, `platform harden`). The input is validated with
 * its schema wherever it comes from (a quick pick, a chat sentence, CLI flags), then `plan` decides.
 */
export interface AgentAction<I> {
  readonly name: string;
  /** One line for `--help` and the palette. */
  readonly description: string;
  readonly input: z.ZodType<I>;
  /** CLI: positional arguments after the action (besides the workspace path), in order, as input keys. */
  readonly positionals?: readonly string[];
  /** CLI: the options (`--name value`, `--flag`) this action takes, as input keys, with help text. */
  readonly options?: Readonly<Record<string, { readonly type: 'string' | 'boolean'; readonly description: string; readonly multiple?: boolean }>>;
  /** The CLI may create the folder it is pointed at (an agent that makes new projects). */
  readonly createsWorkspace?: boolean;
  plan(context: AgentContext, input: I): Promise<AgentPlan>;
}

export interface AgentDefinition {
  /** `scaffold`, `qa`, `security`, `release`, `planner`, `platform`, `orchestrator`. */
  readonly id: string;
  readonly title: string;
  readonly description: string;
  /** The action `ai-devops <agent> <positional>` means when the first word is not an action name. */
  readonly defaultAction?: string;
  // Each action has its own input type; the registry validates input with the action's schema.
  readonly actions: readonly AgentAction<any>[]; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/**
 * The floor under every rule: options that make an allowed tool run another program or code, or
 * read or write outside the workspace. No default rule, user setting or approved
 * `.devops/commands.json` can allow them (`never`); options that write a file are allowed only
 * with a path inside the workspace (`writePath`, `.git` and the audit trail refused) and options
 * that read one only with a path inside it (`readPath`).
 */
export type FloorKind = 'never' | 'readPath' | 'writePath';

export interface ForbiddenOption {
  readonly names: readonly string[];
  readonly kind: FloorKind;
  /** What the family does, for the refusal: "runs a program", "reads a file outside the workspace"... */
  readonly does: string;
  /** Only for these subcommands (the first argument); all of them when absent. */
  readonly subcommands?: readonly string[];
}

export interface ToolFloor {
  readonly options: readonly ForbiddenOption[];
  /** Subcommands that run a package or program from elsewhere (`npm exec`), never allowed. */
  readonly subcommands?: Readonly<Record<string, string>>;
  /** Options allowed before the subcommand; any other option there is refused (git's `-c`, `-C`, `--git-dir`...). */
  readonly globalOptions?: readonly string[];
  /** One-letter options combine (`-vp`): a cluster holding a forbidden letter is refused. */
  readonly clusters: boolean;
  /** Unambiguous prefixes of long options work (`--no-ind` for `--no-index`): they are refused too. */
  readonly abbreviations: boolean;
  /** Exact options that are prefixes of a forbidden one (pytest's `--co`), so not abbreviations. */
  readonly exact?: readonly string[];
  /** `@file` reads further arguments from a file. */
  readonly responseFiles?: boolean;
  /** Long options with one dash, also accepted with two (Go's flag package: `-exec`, `--exec`). */
  readonly singleDashLong?: boolean;
  /** `/name:value` is an option too (MSBuild under dotnet). */
  readonly slashOptions?: boolean;
  /** Option names that match this are `never` as a family (Go's `-test.*` passed to the test binary). */
  readonly neverPattern?: RegExp;
}

const RUNS = 'runs another program or code';
const READS = 'reads a file outside the workspace';
const WRITES = 'writes a file';
const REDIRECTS = 'makes the tool work on another folder or configuration than the workspace';

/** The options of the test runners that `npm test -- ...` / `npm run x -- ...` passes on. */
const SCRIPT_RUNNER_OPTIONS: readonly ForbiddenOption[] = [
  { names: ['--require', '-r', '--import', '--loader', '--experimental-loader', '--node-option', '-n', '--setupFiles', '--setupFilesAfterEach', '--globalSetup', '--globalTeardown', '--testRunner', '--testEnvironment', '--transform', '--resolver', '--preset', '--inspect', '--inspect-brk', '--api', '--ui'], kind: 'never', does: RUNS },
  { names: ['--config', '-c', '--rootDir', '--roots', '--root', '--dir', '--reporter-option', '--reporter-options'], kind: 'never', does: REDIRECTS },
  { names: ['--outputFile', '--output-file'], kind: 'writePath', does: WRITES },
];

export const TOOL_FLOORS: Readonly<Record<string, ToolFloor>> = {
  git: {
    globalOptions: ['--no-pager', '--no-optional-locks', '--literal-pathspecs', '-P', '--no-replace-objects'],
    clusters: true,
    abbreviations: true,
    options: [
      { names: ['--upload-pack', '--receive-pack', '--exec', '--ext-diff', '--textconv', '--extcmd', '--open-files-in-pager', '--tool', '--template', '--separate-git-dir', '--config', '--config-env', '--remote'], kind: 'never', does: RUNS },
      { names: ['-u'], kind: 'never', does: RUNS, subcommands: ['clone', 'fetch', 'pull', 'ls-remote', 'archive'] },
      { names: ['-x'], kind: 'never', does: RUNS, subcommands: ['rebase', 'difftool'] },
      { names: ['-t'], kind: 'never', does: RUNS, subcommands: ['difftool', 'mergetool', 'commit'] },
      { names: ['-c'], kind: 'never', does: RUNS, subcommands: ['clone'] },
      { names: ['-O'], kind: 'never', does: RUNS },
      { names: ['--no-index', '--contents', '--ignore-revs-file', '--pathspec-from-file', '--exclude-from', '--orderfile', '--rotate-to-file'], kind: 'never', does: READS },
      { names: ['-F', '--file'], kind: 'never', does: READS, subcommands: ['commit', 'tag', 'notes', 'merge'] },
      { names: ['--output', '--output-directory'], kind: 'never', does: WRITES },
      { names: ['-o'], kind: 'never', does: WRITES, subcommands: ['format-patch', 'archive'] },
    ],
  },
  npm: {
    subcommands: { exec: RUNS, x: RUNS, init: RUNS, create: RUNS, innit: RUNS, explore: RUNS, edit: RUNS },
    clusters: true,
    abbreviations: true,
    exact: ['--reporter'],
    options: [
      { names: ['--node-options', '--script-shell', '--shell', '--call', '--package', '--init-module', '--onload-script', '--editor', '--browser', '--viewer', '--git'], kind: 'never', does: RUNS },
      { names: ['--prefix', '-C', '--userconfig', '--globalconfig', '--cache', '--registry'], kind: 'never', does: REDIRECTS },
      ...SCRIPT_RUNNER_OPTIONS,
    ],
  },
  pnpm: { subcommands: { dlx: RUNS, exec: RUNS, create: RUNS }, clusters: true, abbreviations: false, options: SCRIPT_RUNNER_OPTIONS },
  yarn: { subcommands: { dlx: RUNS, exec: RUNS, create: RUNS }, clusters: true, abbreviations: false, options: SCRIPT_RUNNER_OPTIONS },
  pytest: {
    clusters: true,
    abbreviations: true,
    exact: ['--co', '--lf', '--ff', '--nf', '--sw'],
    responseFiles: true,
    options: [
      { names: ['-p', '--pdbcls', '-W', '--pythonwarnings', '--pyargs'], kind: 'never', does: RUNS },
      { names: ['-c', '--config-file', '--rootdir', '--confcutdir', '-o', '--override-ini', '--inifile'], kind: 'never', does: REDIRECTS },
      { names: ['--debug'], kind: 'never', does: WRITES },
      { names: ['--junitxml', '--junit-xml', '--basetemp', '--log-file', '--result-log', '--resultlog'], kind: 'writePath', does: WRITES },
    ],
  },
  go: {
    singleDashLong: true,
    clusters: false,
    abbreviations: false,
    neverPattern: /^--?test\./,
    options: [
      { names: ['-exec', '-toolexec', '-overlay', '-ldflags', '-gcflags', '-asmflags', '-gccgoflags', '-compiler', '-args', '-buildmode', '-linkshared', '-pgo', '-mod', '-modcacherw'], kind: 'never', does: RUNS },
      { names: ['-C', '-modfile', '-pkgdir'], kind: 'never', does: REDIRECTS },
      { names: ['-o', '-coverprofile', '-cpuprofile', '-memprofile', '-blockprofile', '-mutexprofile', '-trace', '-outputdir', '-json-output'], kind: 'writePath', does: WRITES },
    ],
  },
  cargo: {
    clusters: true,
    abbreviations: false,
    options: [
      { names: ['--config', '-Z', '--lockfile-path'], kind: 'never', does: RUNS },
      { names: ['-C'], kind: 'never', does: REDIRECTS },
      { names: ['--manifest-path'], kind: 'readPath', does: READS },
      { names: ['--target-dir', '--artifact-dir', '--out-dir', '--logfile'], kind: 'writePath', does: WRITES },
    ],
  },
  dotnet: {
    clusters: false,
    abbreviations: false,
    responseFiles: true,
    slashOptions: true,
    options: [
      { names: ['--test-adapter-path', '-a', '-e', '--environment', '-p', '--property', '-property', '/p', '/property', '-bl', '/bl', '-logger', '/logger', '-distributedlogger', '/distributedlogger', '-dl', '/dl'], kind: 'never', does: RUNS },
      { names: ['-s', '--settings'], kind: 'readPath', does: READS },
      { names: ['-d', '--diag', '-r', '--results-directory', '-o', '--output'], kind: 'writePath', does: WRITES },
    ],
  },
  terraform: {
    // Only the global options that change nothing; -chdir would make it work on another folder.
    globalOptions: ['-no-color'],
    clusters: false,
    abbreviations: false,
    singleDashLong: true,
    subcommands: { apply: 'changes real infrastructure', destroy: 'deletes real infrastructure', import: 'changes the state', init: 'downloads providers and modules from the internet', console: 'evaluates expressions interactively', login: 'stores a credential', taint: 'changes the state', state: 'changes the state' },
    options: [
      { names: ['-chdir'], kind: 'never', does: REDIRECTS },
      { names: ['-plugin-dir', '-from-module'], kind: 'never', does: RUNS },
      { names: ['-var-file', '-backend-config'], kind: 'readPath', does: READS },
      { names: ['-state', '-state-out', '-backup', '-out'], kind: 'writePath', does: WRITES },
    ],
  },
  promtool: {
    clusters: false,
    abbreviations: false,
    subcommands: { query: 'queries a Prometheus server', push: 'sends metrics to a server', debug: 'fetches data from a server', tsdb: 'reads and writes TSDB blocks' },
    options: [{ names: ['--http.config.file', '--url'], kind: 'never', does: 'reaches a server outside the workspace' }],
  },
};

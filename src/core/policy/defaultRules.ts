import { type ArgPattern, type CommandRule, type FlagSpec } from './commandRules';

/**
 * What agents may run out of the box: read-only git, the commits and branches agents make, and
 * the test runners with their machine-readable output. Every option is named; anything else, and
 * everything in the floor (forbiddenOptions.ts), is refused.
 */
const NUMBER: ArgPattern = { regex: '[0-9]{1,6}', title: 'a number' };
/** Free text such as a search or a test filter: no line breaks, no NUL, bounded. */
const TEXT: ArgPattern = { regex: '[^\\r\\n\\0]{1,500}', title: 'one line of text' };
/**
 * A revision: `HEAD`, `main`, `v1.2`, `HEAD~2`, `a1b2c3..HEAD`, `HEAD:src/a.ts`. It starts with a
 * letter, digit or `_`, so never an option, an absolute path or `..`; a path-shaped revision that
 * climbs out of the workspace is refused too (git reads such an argument as a file outside,
 * as if `--no-index` were given).
 */
const REVISION: ArgPattern = { regex: '(?!(?:.*/)?\\.\\.(?:/|$))[A-Za-z0-9_][A-Za-z0-9._/~^@{}:-]{0,250}', title: 'a revision such as HEAD, main or a1b2c3..HEAD, or a path inside the workspace' };
const READ_PATH: ArgPattern = { path: true };
const WRITE_PATH: ArgPattern = { path: 'write' };
const BRANCH: ArgPattern = { regex: '(?!-)(?!.*\\.\\.)[A-Za-z0-9._/-]{1,200}', title: 'a branch name' };

const opt = (flag: string, value: ArgPattern, form?: 'attached' | 'separate'): FlagSpec => (form ? { flag, value, form } : { flag, value });
const optional = (flag: string, value: ArgPattern): FlagSpec[] => [flag, opt(flag, value, 'attached')];

const DIFF_FLAGS: FlagSpec[] = [
  '--stat', '--numstat', '--shortstat', '--summary', '--name-only', '--name-status', '--raw', '-p', '--patch', '-s', '--no-patch',
  '--no-color', opt('--color', { oneOf: ['never', 'always', 'auto'] }, 'attached'), '-w', '--ignore-all-space', '--ignore-space-change',
  '--ignore-blank-lines', '-z', opt('--diff-filter', { regex: '[ACDMRTUXBacdmrtuxb*]{1,16}' }, 'attached'), ...optional('-M', { regex: '[0-9]{1,3}%?' }),
  '--find-renames', '--check', '--no-ext-diff', '--no-textconv', '--minimal', '--word-diff', '-R', opt('-U', NUMBER, 'attached'), opt('--unified', NUMBER, 'attached'),
  '--full-index', '--binary', '--no-renames',
];
const LOG_FLAGS: FlagSpec[] = [
  '--oneline', opt('-n', NUMBER), opt('--max-count', NUMBER, 'attached'), opt('--skip', NUMBER, 'attached'),
  opt('--format', TEXT, 'attached'), opt('--pretty', TEXT, 'attached'), opt('--since', TEXT, 'attached'), opt('--until', TEXT, 'attached'),
  opt('--after', TEXT, 'attached'), opt('--before', TEXT, 'attached'), opt('--author', TEXT, 'attached'), opt('--committer', TEXT, 'attached'),
  opt('--grep', TEXT, 'attached'), '--reverse', '--first-parent', '--follow', '--graph', ...optional('--decorate', { oneOf: ['short', 'full', 'auto', 'no'] }),
  '--all', opt('--date', { regex: '[a-z-]{1,20}(?::[^\\r\\n\\0]{1,100})?' }, 'attached'), '--no-merges', '--merges', '--abbrev-commit', '--no-abbrev-commit',
  '-i', '--regexp-ignore-case', '--left-right', '--cherry-pick', '--topo-order', '--date-order',
];

const git = (id: string, subcommand: string, flags: FlagSpec[], operands: ArgPattern | undefined, description: string, paths = true): CommandRule => ({
  id,
  executable: 'git',
  args: [subcommand],
  flags,
  ...(operands ? { operands } : {}),
  ...(paths ? { afterSeparator: { flags: [], operands: READ_PATH } } : {}),
  description,
});

/** The options of the test runners behind `npm test` / `npm run <script>` (mocha, jest, vitest, node --test), after `--`. */
const REPORTERS = ['spec', 'dot', 'json', 'json-stream', 'junit', 'tap', 'list', 'min', 'progress', 'xunit', 'default', 'verbose', 'basic', 'github-actions', 'hanging-process', 'json-summary', 'lcov', 'text', 'text-summary'];
const SCRIPT_FLAGS: FlagSpec[] = [
  opt('--reporter', { oneOf: REPORTERS }), opt('--test-reporter', { oneOf: REPORTERS }, 'attached'), '--json', opt('--outputFile', WRITE_PATH), opt('--output-file', WRITE_PATH),
  '--coverage', '--ci', '--runInBand', '--run',
  // Listing without running: mocha --dry-run, jest --listTests.
  // mocha --ignore only leaves spec files out (the QA runner names the files of a one-file run with it).
  opt('--ignore', { regex: '[^\\r\\n\\0]{1,8000}', title: 'a glob of test files to leave out' }),
  '--dry-run', '--listTests', opt('--grep', TEXT), opt('-g', TEXT), opt('--testNamePattern', TEXT), opt('-t', TEXT), opt('--test-name-pattern', TEXT, 'attached'),
  '--bail', '--passWithNoTests', '--verbose', '--silent', '--no-color', '--colors', '--forbid-only', '--fix', '-u', '--updateSnapshot', '--detectOpenHandles',
  opt('--testTimeout', NUMBER), opt('--timeout', NUMBER), opt('--maxWorkers', { regex: '[0-9]{1,3}%?' }), opt('--shard', { regex: '[0-9]{1,3}/[0-9]{1,3}' }),
  // node --test's reporters write where they are told: the terminal, or a file inside the workspace.
  opt('--test-reporter-destination', { oneOf: ['stdout', 'stderr'] }, 'attached'), opt('--test-reporter-destination', WRITE_PATH, 'attached'), '--experimental-test-coverage',
];
const NPM_FLAGS: FlagSpec[] = ['--silent', '-s', '--if-present', opt('--workspace', { regex: '(?:@[a-z0-9._-]{1,100}/)?(?!\\.)[a-z0-9._-]{1,100}' }), opt('-w', { regex: '(?:@[a-z0-9._-]{1,100}/)?(?!\\.)[a-z0-9._-]{1,100}' }), '--workspaces', '--ws', '--include-workspace-root'];
const SCRIPT_OPERANDS = READ_PATH;

const PYTEST_FLAGS: FlagSpec[] = [
  '-q', '-v', '-vv', '-x', '--exitfirst', '-s', '-l', '--showlocals', opt('-k', TEXT), opt('-m', TEXT), opt('--maxfail', NUMBER, 'attached'),
  opt('--tb', { oneOf: ['auto', 'long', 'short', 'line', 'native', 'no'] }, 'attached'), opt('-r', { regex: '[fEsxXpPaAwN]{1,12}' }),
  opt('--junitxml', WRITE_PATH), opt('--junit-xml', WRITE_PATH), '--co', '--collect-only', '--lf', '--last-failed', '--ff', '--failed-first',
  '--no-header', '--no-summary', opt('--capture', { oneOf: ['no', 'sys', 'fd', 'tee-sys'] }, 'attached'), opt('--durations', NUMBER, 'attached'),
  '--strict-markers', '--no-cov', opt('--deselect', READ_PATH), opt('--ignore', READ_PATH),
  // pytest-cov: what to measure and where its report goes (inside the workspace).
  opt('--cov', READ_PATH, 'attached'), '--cov-branch', ...(['xml', 'lcov', 'json'] as const).map((f) => opt('--cov-report', { path: 'write', prefix: `${f}:` }, 'attached')),
];
const GO_FLAGS: FlagSpec[] = [
  '-v', opt('-run', TEXT), opt('-list', TEXT), opt('-skip', TEXT), opt('-count', NUMBER), '-race', '-short', opt('-timeout', { regex: '[0-9]{1,6}(?:ns|us|ms|s|m|h)' }), '-cover',
  opt('-coverprofile', WRITE_PATH), opt('-covermode', { oneOf: ['set', 'count', 'atomic'] }), '-failfast', opt('-bench', TEXT), '-benchmem', '-json',
  opt('-p', NUMBER), opt('-parallel', NUMBER), opt('-tags', { regex: '[A-Za-z0-9_.,]{1,200}' }), opt('-vet', { oneOf: ['off', 'all'] }),
];
/** `./...`, `./pkg`, `./pkg/...`: packages of this module only (an import path could be fetched and built from elsewhere). */
const GO_PACKAGES: ArgPattern = { regex: '\\./(?:[A-Za-z0-9_][A-Za-z0-9._-]*/)*(?:[A-Za-z0-9_][A-Za-z0-9._-]*|\\.\\.\\.)?(?:/\\.\\.\\.)?|\\.', title: 'a package of this module such as ./... or ./pkg' };
const CARGO_FLAGS: FlagSpec[] = [
  '--release', opt('-p', { regex: '[A-Za-z0-9_-]{1,100}' }), opt('--package', { regex: '[A-Za-z0-9_-]{1,100}' }), '--workspace', '--all-features',
  '--no-default-features', opt('--features', { regex: '[A-Za-z0-9_,/ -]{1,300}' }), '--lib', '--bins', opt('--test', { regex: '[A-Za-z0-9_-]{1,100}' }),
  '--doc', '--no-fail-fast', '-q', '--quiet', '-v', '--locked', '--offline', '--frozen', opt('-j', NUMBER), opt('--jobs', NUMBER),
  opt('--message-format', { oneOf: ['human', 'short', 'json', 'json-diagnostic-short', 'json-diagnostic-rendered-ansi', 'json-render-diagnostics'] }, 'attached'),
];
const LIBTEST_FLAGS: FlagSpec[] = ['--nocapture', opt('--test-threads', NUMBER), '--exact', '--ignored', '--include-ignored', '--show-output', '-q', '--quiet', opt('--format', { oneOf: ['pretty', 'terse', 'json'] }), '--list'];
const FILTER: ArgPattern = { regex: '(?!-)[A-Za-z0-9_:.]{1,200}', title: 'a test name filter' };
const DOTNET_FLAGS: FlagSpec[] = [
  '--no-build', '--no-restore', '--nologo', '--blame', opt('-c', { oneOf: ['Debug', 'Release'] }), opt('--configuration', { oneOf: ['Debug', 'Release'] }),
  opt('-f', { regex: 'net[0-9.]{1,10}(?:-[a-z]{1,20})?' }), opt('--framework', { regex: 'net[0-9.]{1,10}(?:-[a-z]{1,20})?' }), opt('--filter', TEXT),
  opt('-v', { oneOf: ['q', 'quiet', 'm', 'minimal', 'n', 'normal', 'd', 'detailed'] }), opt('--verbosity', { oneOf: ['q', 'quiet', 'm', 'minimal', 'n', 'normal', 'd', 'detailed'] }),
  opt('--logger', { regex: '(?:trx|console|junit|html)(?:;verbosity=[a-z]{1,10})?' }), opt('--results-directory', WRITE_PATH), opt('--collect', { oneOf: ['XPlat Code Coverage', 'Code Coverage'] }),
];

export const DEFAULT_RULES: readonly CommandRule[] = [
  git('git-status', 'status', ['--porcelain', opt('--porcelain', { oneOf: ['v1', 'v2'] }, 'attached'), '-s', '--short', '-b', '--branch', '-z', opt('--untracked-files', { oneOf: ['no', 'normal', 'all'] }, 'attached'), '--ignored', '--no-renames', '--ahead-behind', '--no-ahead-behind', '--show-stash', '-v'], undefined, 'What changed in the working tree.'),
  git('git-diff', 'diff', [...DIFF_FLAGS, '--cached', '--staged', '--exit-code', '--quiet', '--merge-base', '--relative'], REVISION, 'Differences between commits, the index and the working tree.'),
  git('git-log', 'log', [...LOG_FLAGS, ...DIFF_FLAGS], REVISION, 'Commit history.'),
  git('git-show', 'show', [...LOG_FLAGS, ...DIFF_FLAGS], REVISION, 'A commit, tag or file at a revision.'),
  git('git-rev-parse', 'rev-parse', ['--abbrev-ref', '--short', opt('--short', NUMBER, 'attached'), '--verify', '--show-toplevel', '--is-inside-work-tree', '--symbolic-full-name', '-q', '--quiet'], REVISION, 'Names and ids of revisions.', false),
  git('git-ls-files', 'ls-files', ['-z', '--others', '-o', '--cached', '--modified', '-m', '--deleted', '-d', '--exclude-standard', '--full-name', '-s', '--stage'], undefined, 'Files git knows.'),
  git('git-blame', 'blame', [opt('-L', { regex: '[0-9]{1,7},[+-]?[0-9]{1,7}' }), '--porcelain', '--line-porcelain', '-s', '-w', '-e', '--show-email', '-M', '-C'], REVISION, 'Who last changed each line.'),
  git('git-describe', 'describe', ['--tags', '--always', '--dirty', '--long', '--exact-match', opt('--abbrev', NUMBER, 'attached')], REVISION, 'The nearest tag.', false),
  git('git-shortlog', 'shortlog', ['-s', '-n', '-e', '--summary', '--numbered', '--email'], REVISION, 'Commits by author.'),
  { id: 'git-branch-list', executable: 'git', args: ['branch'], flags: ['--list', '-a', '-r', '--all', '--show-current', '-v', '-vv', ...optional('--merged', REVISION), ...optional('--no-merged', REVISION), opt('--format', TEXT, 'attached'), opt('--sort', { regex: '-?[a-z:]{1,40}' }, 'attached')], description: 'The branches.' },
  { id: 'git-add', executable: 'git', args: ['add'], flags: [], afterSeparator: { flags: [], operands: READ_PATH }, description: 'Stage workspace files (git add -- <paths>).' },
  { id: 'git-commit', executable: 'git', args: ['commit', '-m', { regex: '[^\\0]{1,5000}' }], flags: [], description: 'Commit staged changes with a message.' },
  // The release agent's rollback by revert: full commit hashes only, into the index (the commit is its own step).
  { id: 'git-revert-no-commit', executable: 'git', args: ['revert', '--no-commit'], flags: [], operands: { regex: '[0-9a-f]{40}', title: 'a full commit hash' }, description: 'Revert commits into the index without committing (the release rollback).' },
  { id: 'git-switch-create', executable: 'git', args: ['switch', '-c', BRANCH], flags: [], description: 'Create a branch and switch to it.' },
  { id: 'git-switch', executable: 'git', args: ['switch', BRANCH], flags: [], description: 'Switch to a branch.' },
  { id: 'npm-test', executable: 'npm', args: [{ oneOf: ['test', 't'] }], flags: NPM_FLAGS, afterSeparator: { flags: SCRIPT_FLAGS, operands: SCRIPT_OPERANDS }, description: "The project's test script." },
  { id: 'npm-run', executable: 'npm', args: ['run', { regex: '[A-Za-z0-9:._-]{1,100}' }], flags: NPM_FLAGS, afterSeparator: { flags: SCRIPT_FLAGS, operands: SCRIPT_OPERANDS }, description: "One of the project's scripts." },
  {
    id: 'npm-install-no-scripts',
    executable: 'npm',
    args: [{ oneOf: ['install', 'ci'] }, '--ignore-scripts'],
    flags: ['--no-audit', '--no-fund', '--prefer-offline', '--silent'],
    description: "The project's own dependencies, with no package's install scripts run (a new project's --verify).",
  },
  { id: 'version', executable: 'node', args: ['--version'], flags: [] },
  { id: 'pytest', executable: 'pytest', args: [], flags: PYTEST_FLAGS, operands: READ_PATH, description: "Python tests (run as <python> -m pytest with the workspace's interpreter)." },
  { id: 'unittest-discover', executable: 'unittest', args: ['discover'], flags: ['-v', opt('-s', READ_PATH), opt('-t', READ_PATH), opt('-p', { regex: '[A-Za-z0-9_*.?-]{1,100}', title: 'a file name pattern such as test*.py' })], description: "Python's unittest (run as <python> -m unittest with the workspace's interpreter)." },
  { id: 'unittest-names', executable: 'unittest', args: [], flags: ['-v'], operands: { regex: '[A-Za-z_][A-Za-z0-9_]*(?:\\.[A-Za-z_][A-Za-z0-9_]*){0,20}', title: 'a test name such as tests.test_x.TestX.test_y' }, description: 'Chosen unittest tests by name.' },
  { id: 'mvn-test', executable: 'mvn', args: ['-B', 'test'], flags: [], description: 'Maven tests (Surefire writes JUnit XML).' },
  { id: 'gradle-test', executable: 'gradle', args: ['test'], flags: [], description: 'Gradle tests (JUnit XML).' },
  { id: 'go-test', executable: 'go', args: ['test'], flags: GO_FLAGS, operands: GO_PACKAGES, description: 'Go tests of this module.' },
  { id: 'dotnet-test', executable: 'dotnet', args: ['test'], flags: DOTNET_FLAGS, operands: READ_PATH, description: '.NET tests.' },
  // The security agent's Python scanner: it reads the files named and prints a report; no config file of the repository's choosing is read.
  { id: 'bandit', executable: 'bandit', args: [], flags: [opt('-f', { oneOf: ['json'] }), '-q', '--quiet', '-r', '--recursive'], operands: READ_PATH, description: 'Python security linter (JSON report).' },
  // The platform agent's validators: read-only checks of files it generated (fmt -check never rewrites).
  { id: 'terraform-version', executable: 'terraform', args: ['version'], flags: ['-json'], description: 'Which Terraform is installed.' },
  { id: 'terraform-fmt-check', executable: 'terraform', args: ['fmt', '-check'], flags: ['-diff', '-recursive', '-no-color', opt('-list', { oneOf: ['true', 'false'] }, 'attached')], operands: READ_PATH, description: 'Check Terraform formatting without rewriting anything.' },
  { id: 'terraform-validate', executable: 'terraform', args: ['validate'], flags: ['-json', '-no-color'], description: 'Validate an initialised Terraform folder (run in it).' },
  { id: 'promtool-version', executable: 'promtool', args: ['--version'], flags: [], description: 'Which promtool is installed.' },
  { id: 'promtool-check-rules', executable: 'promtool', args: ['check', 'rules'], flags: ['--lint-fatal', opt('--lint', { oneOf: ['all', 'duplicate-rules', 'none'] }, 'attached')], operands: READ_PATH, description: 'Check Prometheus alerting and recording rules.' },
  { id: 'promtool-check-config', executable: 'promtool', args: ['check', 'config', '--syntax-only'], flags: ['--lint-fatal', opt('--lint', { oneOf: ['all', 'duplicate-rules', 'none'] }, 'attached')], operands: READ_PATH, description: 'Check a Prometheus configuration file\'s syntax (the files it names are not read).' },
  { id: 'cargo-test', executable: 'cargo', args: ['test'], flags: CARGO_FLAGS, operands: FILTER, afterSeparator: { flags: LIBTEST_FLAGS, operands: FILTER }, description: 'Rust tests.' },
];

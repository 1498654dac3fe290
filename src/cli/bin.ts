import { main } from './main';

// The `ai-devops` executable (package.json bin, built to dist/cli.js): Ctrl-C cancels the run,
// which stops its processes, and a second Ctrl-C exits at once.
const controller = new AbortController();
let interrupted = false;
process.on('SIGINT', () => {
  if (interrupted) process.exit(130);
  interrupted = true;
  process.stderr.write('ai-devops: cancelling (Ctrl-C again to exit at once)…\n');
  controller.abort();
});

void main({ argv: process.argv.slice(2), env: process.env, cwd: process.cwd(), stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, signal: controller.signal }).then((code) => {
  process.exitCode = code;
});

import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * A git repository built in the test with a known history. Every commit gets its own date one
 * minute after the one before, so `git log --date-order` (how the conventional-changelog tools
 * find the last tag) is the order the test wrote.
 */
export class FixtureRepo {
  readonly dir: string;
  private clock = Date.parse('2026-01-05T09:00:00Z');
  private counter = 0;

  constructor(dir?: string) {
    this.dir = dir ?? realpathSync(mkdtempSync(path.join(tmpdir(), 'release-fixture-')));
    this.git('init', '-q', '-b', 'main');
    this.git('config', 'commit.gpgsign', 'false');
    this.git('config', 'tag.gpgsign', 'false');
    this.git('config', 'user.name', 'Fixture');
    this.git('config', 'user.email', 'fixture@example.com');
  }

  private env(): NodeJS.ProcessEnv {
    const date = new Date(this.clock).toISOString();
    return { ...process.env, GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date, GIT_CONFIG_NOSYSTEM: '1', GIT_AUTHOR_NAME: 'Fixture', GIT_AUTHOR_EMAIL: 'fixture@example.com', GIT_COMMITTER_NAME: 'Fixture', GIT_COMMITTER_EMAIL: 'fixture@example.com' };
  }

  git(...args: string[]): string {
    return execFileSync('git', args, { cwd: this.dir, env: this.env(), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  }

  write(rel: string, text: string): this {
    mkdirSync(path.dirname(path.join(this.dir, rel)), { recursive: true });
    writeFileSync(path.join(this.dir, rel), text);
    return this;
  }

  /** A commit with `message`, touching `file` (a fresh line each time). Returns its hash. */
  commit(message: string, file = `src/file${this.counter % 3}.txt`): string {
    this.clock += 60_000;
    this.counter += 1;
    this.write(file, `change ${this.counter}\n`);
    this.git('add', '-A');
    this.git('commit', '-q', '--allow-empty', '-m', message);
    return this.git('rev-parse', 'HEAD').trim();
  }

  /** Later commits and tags are dated from `date` on (a history lined up with a stand-in's clock). */
  at(date: Date): this {
    this.clock = date.getTime();
    return this;
  }

  tag(name: string, annotated = true): this {
    this.clock += 1000;
    if (annotated) this.git('tag', '-a', name, '-m', `Release ${name}`);
    else this.git('tag', name);
    return this;
  }

  branch(name: string): this {
    this.git('switch', '-q', '-c', name);
    return this;
  }

  checkout(name: string): this {
    this.git('switch', '-q', name);
    return this;
  }

  /** A real merge commit (`--no-ff`) with git's own message or the one given. */
  merge(branch: string, message?: string): string {
    this.clock += 60_000;
    this.git('merge', '-q', '--no-ff', ...(message ? ['-m', message] : ['--no-edit']), branch);
    return this.git('rev-parse', 'HEAD').trim();
  }

  revert(hash: string): string {
    this.clock += 60_000;
    this.git('revert', '--no-edit', hash);
    return this.git('rev-parse', 'HEAD').trim();
  }

  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

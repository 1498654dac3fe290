import ignore, { type Ignore } from 'ignore';
import picomatch from 'picomatch';

/**
 * Which paths of a workspace folder the TODO index leaves out: `.git`, the `files.exclude` globs
 * (picomatch, the matcher VS Code's own glob semantics are closest to), and every `.gitignore`
 * on the way down, nested ones included, with git's precedence (the deepest file that has an
 * opinion wins; a path under an ignored directory stays ignored). Rules come from the `ignore`
 * package, which implements the gitignore spec and is what eslint and prettier use.
 *
 * Paths are relative to the folder root with forward slashes. The rules of a directory must be
 * added (addGitignore) before paths under it are asked about; the walker does that as it descends.
 */
export class IgnoreRules {
  private readonly byDir = new Map<string, Ignore>();
  /** Directories whose .gitignore was looked for and is absent. */
  private readonly without = new Set<string>();
  private readonly exclude: picomatch.Matcher | undefined;

  constructor(excludeGlobs: readonly string[]) {
    const globs = excludeGlobs.filter((g) => g.trim().length > 0);
    this.exclude = globs.length > 0 ? picomatch(globs, { dot: true }) : undefined;
  }

  /** Rules of `<dir>/.gitignore` (dir '' is the root). */
  addGitignore(dir: string, content: string): void {
    this.byDir.set(dir, ignore({ allowRelativePaths: true }).add(content));
  }

  hasRulesFor(dir: string): boolean {
    return this.byDir.has(dir);
  }

  /**
   * Loads the .gitignore of every directory above `relPath` not seen yet (for a path reported by a
   * watcher, outside any walk). `read` returns a directory's .gitignore text, or undefined.
   */
  loadAncestors(relPath: string, read: (dir: string) => string | undefined): void {
    const parts = relPath.split('/');
    for (let i = 0; i < parts.length; i++) {
      const dir = parts.slice(0, i).join('/');
      if (this.byDir.has(dir) || this.without.has(dir)) continue;
      const content = read(dir);
      if (content === undefined) this.without.add(dir);
      else this.addGitignore(dir, content);
    }
  }

  /** Is `relPath` ignored, given that its parent directories are not? (The walker's question.) */
  ignoresEntry(relPath: string, isDirectory: boolean): boolean {
    const name = relPath.slice(relPath.lastIndexOf('/') + 1);
    if (name === '.git') return true;
    if (this.exclude !== undefined && this.exclude(relPath)) return true;
    if (this.byDir.size === 0) return false;
    let dir = relPath;
    for (;;) {
      const slash = dir.lastIndexOf('/');
      dir = slash < 0 ? '' : dir.slice(0, slash);
      const rules = this.byDir.get(dir);
      if (rules !== undefined) {
        const rel = dir === '' ? relPath : relPath.slice(dir.length + 1);
        const verdict = rules.test(isDirectory ? `${rel}/` : rel);
        if (verdict.ignored) return true;
        if (verdict.unignored) return false;
      }
      if (dir === '') return false;
    }
  }

  /** Is `relPath` ignored, checking every directory on the way (a watcher event's question)? */
  ignores(relPath: string, isDirectory: boolean): boolean {
    for (let slash = relPath.indexOf('/'); slash >= 0; slash = relPath.indexOf('/', slash + 1)) if (this.ignoresEntry(relPath.slice(0, slash), true)) return true;
    return this.ignoresEntry(relPath, isDirectory);
  }
}

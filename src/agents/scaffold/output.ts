/** What a template renders: data only. The runtime writes the files and runs the commands after approval. */

export interface ScaffoldFile {
  /** Relative to the project folder, forward slashes, never `..` or absolute. */
  readonly path: string;
  readonly content: string;
  /** Set the executable bits (manage.py, scripts). */
  readonly executable?: boolean;
}

/** A command as an argument vector (no shell), and how to show it to a person. */
export interface ScaffoldCommand {
  readonly file: string;
  readonly args: readonly string[];
  /** Relative to the project folder; the folder itself when absent. */
  readonly cwd?: string;
  readonly display: string;
}

export interface ScaffoldOutput {
  readonly files: readonly ScaffoldFile[];
  /** Runs the generated project's own tests (or, with tests turned off, its own check). */
  readonly testCommand: ScaffoldCommand;
  /** Installs dependencies first, when the project has a package manager step that needs the network. */
  readonly installCommand?: ScaffoldCommand;
  /** Facts a person should read before running it (what the tests need, what was left out and why). */
  readonly notes: readonly string[];
}

export function command(file: string, args: readonly string[] = []): ScaffoldCommand {
  return { file, args, display: [file, ...args].join(' ') };
}

/** Trims the leading newline of a template literal and guarantees one trailing newline. */
export function text(content: string): string {
  const body = content.replace(/^\n/, '');
  return body.endsWith('\n') ? body : `${body}\n`;
}

/** Joins lines of generated code; `false`, `undefined` and `null` stand for a line an option leaves out ('' is a blank line). */
export function lines(...parts: readonly (string | false | undefined | null)[]): string {
  return parts.filter((p): p is string => typeof p === 'string').join('\n');
}

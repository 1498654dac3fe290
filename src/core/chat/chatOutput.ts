/**
 * What an answer may put into the Chat view, without knowing VS Code: the participant adapts it to
 * vscode.ChatResponseStream, the unit tests record it.
 */

/** A button that runs one of our commands (or VS Code's own) with arguments. */
export interface ChatButton {
  readonly command: string;
  readonly title: string;
  readonly arguments?: readonly unknown[];
}

/** A file (absolute path, optionally a 0-based line range) or a web page the answer used. */
export type ChatReference =
  | { readonly kind: 'file'; readonly path: string; readonly startLine?: number; readonly endLine?: number }
  | { readonly kind: 'url'; readonly url: string; readonly title?: string };

export interface ChatOutput {
  markdown(text: string): void;
  /** A transient "working on it" line. */
  progress(text: string): void;
  button(button: ChatButton): void;
  reference(reference: ChatReference): void;
}

/** What an answer reports back (kept in the turn's metadata; follow-ups are built from it). */
export interface ChatAnswer {
  readonly command: string;
  /** Work items the answer was about, e.g. `AB#7`. */
  readonly workItems?: readonly string[];
  /** True when a model composed (part of) the answer. */
  readonly usedModel?: boolean;
  /** Set when the answer could not be given; the message was already shown. */
  readonly error?: string;
}

/** The buttons that fix "no model": pick one, or use the sandbox's with no account. */
export const CONFIGURE_MODEL_BUTTONS: readonly ChatButton[] = [
  { command: 'aiDevops.selectModel', title: 'Select Model…' },
  { command: 'aiDevops.trySandbox', title: 'Try the Sandbox' },
];

/** The buttons that connect a tracker. */
export const CONNECT_TRACKER_BUTTONS: readonly ChatButton[] = [
  { command: 'aiDevops.signIn', title: 'Sign In…' },
  { command: 'aiDevops.trySandbox', title: 'Try the Sandbox' },
];

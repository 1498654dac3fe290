import { type Severity } from '../../runtime/plan';

/** A file to review: its workspace-relative path (forward slashes) and text. */
export interface ReviewFile {
  readonly path: string;
  readonly text: string;
  /** SHA-256 of the text as read (ctx.files.read gives it); computed when absent. Fixes carry it as baseSha256. */
  readonly sha256?: string;
}

/** A change to the file's text as it was read: replace [from, to) with `text` (from === to inserts). */
export interface TextReplacement {
  readonly from: number;
  readonly to: number;
  readonly text: string;
}

/** What a checker reports; the review turns it into a runtime Finding (message, fingerprint, fix edit). */
export interface Hit {
  readonly ruleId: string;
  /** 1-based. */
  readonly line: number;
  readonly column?: number;
  readonly endLine?: number;
  /**
   * Where the problem is in the file's own terms, not by line number (`stage 1 / FROM node`,
   * `Deployment/web/container api`, `job build / step 2 actions/checkout`): the fingerprint is
   * built from it, so a finding keeps its identity when lines move.
   */
  readonly anchor: string;
  /** The specific sentence (names the image, the variable, the action); the rule's title when absent. */
  readonly detail?: string;
  /** Overrides the rule's severity where the case is milder or worse. */
  readonly severity?: Severity;
  readonly fix?: { readonly description: string; readonly replacements: readonly TextReplacement[] };
}

/** A file that was looked at but could not be reviewed (not parseable), and why. */
export interface SkippedFile {
  readonly file: string;
  readonly reason: string;
}

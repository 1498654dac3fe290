/** A file a generator proposes: workspace-relative path and full text. */
export interface GeneratedFile {
  readonly path: string;
  readonly content: string;
}

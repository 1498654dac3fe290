/**
 * Commit messages for `/git commit`: the model's draft cleaned up, or a deterministic draft from
 * the changed files when no model answers. Either way it ends with the work item reference.
 */

/** The model's reply as a commit message: code fences and quotes around it removed, the reference ensured. */
export function cleanCommitMessage(reply: string, workItem: string | undefined): string {
  let text = reply.trim();
  const fence = /^```[\w-]*\n([\s\S]*?)\n```$/.exec(text);
  if (fence) text = fence[1]!.trim();
  text = text.replace(/^(commit message:\s*)/i, '').trim();
  return withReference(text, workItem);
}

/** Appends the reference on its own last line unless the message already names it. */
export function withReference(message: string, workItem: string | undefined): string {
  if (!workItem) return message;
  const escaped = workItem.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  if (new RegExp(`(^|[^\\w/])${escaped}\\b`).test(message)) return message;
  return `${message.trimEnd()}\n\n${workItem}`;
}

/** A change status as git reports it (first letter of porcelain: M, A, D, R, ?). */
export interface ChangedFile {
  readonly path: string;
  readonly status: string;
}

const typeFor = (files: readonly ChangedFile[]): string => {
  const paths = files.map((f) => f.path);
  if (paths.length && paths.every((p) => /(^|\/)(test|tests|__tests__|spec)\/|\.(test|spec)\.[a-z]+$/i.test(p))) return 'test';
  if (paths.length && paths.every((p) => /\.(md|mdx|txt|rst)$/i.test(p) || /(^|\/)docs\//.test(p))) return 'docs';
  if (paths.length && paths.every((p) => /(^|\/)(\.github|\.azure-pipelines|azure-pipelines\.ya?ml|Dockerfile|\.gitlab-ci)/.test(p))) return 'ci';
  if (files.some((f) => f.status === 'A' || f.status === '?')) return 'feat';
  return 'chore';
};

/** A draft from the file list alone: honest about what it knows (which files), nothing more. */
export function draftCommitMessage(files: readonly ChangedFile[], workItem: string | undefined, title: string | undefined): string {
  const type = typeFor(files);
  const names = files.map((f) => f.path.split('/').pop() ?? f.path);
  const subject = title
    ? title.length > 60
      ? `${title.slice(0, 57)}...`
      : title
    : names.length === 0
      ? 'update the working tree'
      : names.length <= 3
        ? `update ${names.join(', ')}`
        : `update ${names.length} files`;
  const body = files.length ? `Changes: ${files.slice(0, 20).map((f) => `${f.status} ${f.path}`).join(', ')}${files.length > 20 ? `, and ${files.length - 20} more` : ''}.` : '';
  return withReference([`${type}: ${subject.charAt(0).toLowerCase()}${subject.slice(1)}`, ...(body ? ['', body] : [])].join('\n'), workItem);
}

/**
 * The branch "start work" creates for a work item: `task-<id>-<slug>`, the slug made from the title.
 * The slug keeps only ascii letters and digits joined by single hyphens, so the name is always a
 * valid git ref (`git check-ref-format --branch`): no spaces, no `..`, `~^:?*[\`, no `@{`, no
 * leading or trailing dot or hyphen, no `.lock` ending.
 */
export interface BranchNameOptions {
  /** Prefix before the id; `task` unless the user chose another. Only [a-z0-9/-] survive. */
  readonly prefix?: string;
  /** Longest slug (after the id); cut at a word boundary when one is close. Default 40. */
  readonly maxSlugLength?: number;
}

export const DEFAULT_MAX_SLUG_LENGTH = 40;

/** Title -> `fix-login-on-safari`: accents folded to ascii, everything else a hyphen. */
export function slugify(title: string, maxLength = DEFAULT_MAX_SLUG_LENGTH): string {
  const ascii = title
    .normalize('NFKD')
    // Combining marks left by NFKD (é -> e + ´) go; the base letters stay.
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/ß/g, 'ss')
    .replace(/æ/g, 'ae')
    .replace(/ø/g, 'o')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (maxLength <= 0) return '';
  if (ascii.length <= maxLength) return ascii;
  const cut = ascii.slice(0, maxLength);
  const lastHyphen = cut.lastIndexOf('-');
  // Prefer a whole word, unless that would throw away more than half of what fits.
  const trimmed = lastHyphen >= maxLength / 2 ? cut.slice(0, lastHyphen) : cut;
  return trimmed.replace(/-+$/g, '');
}

function cleanPrefix(prefix: string): string {
  const cleaned = prefix
    .toLowerCase()
    .replace(/[^a-z0-9/-]+/g, '-')
    .replace(/\/{2,}/g, '/')
    .replace(/-{2,}/g, '-')
    .split('/')
    .map((part) => part.replace(/^-+|-+$/g, ''))
    .filter((part) => part.length > 0)
    .join('/');
  return cleaned.length > 0 ? cleaned : 'task';
}

/** `task-123-fix-login-on-safari`; `task-123` when the title has no letters or digits. */
export function branchNameFor(id: number, title: string, options: BranchNameOptions = {}): string {
  if (!Number.isInteger(id) || id <= 0) throw new RangeError(`A work item id is a positive whole number, not ${id}.`);
  const prefix = cleanPrefix(options.prefix ?? 'task');
  const slug = slugify(title, options.maxSlugLength ?? DEFAULT_MAX_SLUG_LENGTH);
  return slug.length > 0 ? `${prefix}-${id}-${slug}` : `${prefix}-${id}`;
}

/** The id in a branch made by branchNameFor (`task-123-...` -> 123), for "which item am I on". */
export function workItemIdFromBranch(branch: string, prefix = 'task'): number | undefined {
  const p = cleanPrefix(prefix).replace(/[/-]/g, (c) => `\\${c}`);
  const match = new RegExp(`(?:^|/)${p}-(\\d+)(?:-|$)`).exec(branch);
  if (!match) return undefined;
  const id = Number(match[1]);
  return Number.isSafeInteger(id) && id > 0 ? id : undefined;
}

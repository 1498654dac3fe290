/**
 * Azure Boards keeps tags in `System.Tags` as one string, `tag1; tag2`. Tags compare
 * case-insensitively (the service treats `blocked` and `Blocked` as one tag).
 */
export function parseTags(value: string | undefined | null): string[] {
  return (value ?? '')
    .split(';')
    .map((t) => t.trim())
    .filter((t) => t.length > 0);
}

export const hasTag = (tags: readonly string[], tag: string): boolean => tags.some((t) => t.toLowerCase() === tag.toLowerCase());

/** The `System.Tags` value after adding and removing tags; existing spelling and order are kept. */
export function applyTags(current: string | undefined | null, add: readonly string[], remove: readonly string[]): string {
  const tags = parseTags(current).filter((t) => !hasTag(remove, t));
  for (const tag of add) if (!hasTag(tags, tag)) tags.push(tag);
  return tags.join('; ');
}

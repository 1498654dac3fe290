/** The security scan's categories, apart from the scanners so the chat's request parser loads none of them. */
export const CATEGORIES = ['secrets', 'dependencies', 'code', 'infrastructure'] as const;
export type Category = (typeof CATEGORIES)[number];

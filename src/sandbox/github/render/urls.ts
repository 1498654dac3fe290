/**
 * The URLs GitHub puts in its answers. API URLs point back at the stand-in; html_url points at
 * `<base>/web/...`, which the stand-in does not serve (a sandbox has no github.com page), so a
 * link opened by mistake never reaches a real repository of the same name.
 */
export interface Urls {
  readonly api: string;
  readonly web: string;
}

export const urlsFor = (apiBase: string): Urls => ({ api: apiBase, web: `${apiBase}/web` });

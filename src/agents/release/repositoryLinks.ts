/**
 * Web links for commits and compare views, from the repository's remote URL: GitHub
 * (`https://github.com/o/r`, `git@github.com:o/r.git`) and Azure Repos
 * (`https://dev.azure.com/org/project/_git/repo`, `org@vs-ssh.visualstudio.com:v3/...`,
 * `git@ssh.dev.azure.com:v3/org/project/repo`). Any other host (a file path, a server we do not
 * know) gives no links: the notes then show the short hash alone.
 */
export interface RepositoryLinks {
  readonly kind: 'github' | 'azureRepos';
  readonly web: string;
  commit(hash: string): string;
  compare(from: string, to: string): string;
}

export function repositoryLinks(remoteUrl: string | undefined): RepositoryLinks | undefined {
  if (!remoteUrl) return undefined;
  const url = remoteUrl.trim().replace(/\.git$/, '');
  let m = /^(?:https?:\/\/|ssh:\/\/git@|git@)(github\.com|[a-z0-9.-]*ghe\.com)[/:]([^/\s]+)\/([^/\s]+)$/i.exec(url);
  if (m) {
    const web = `https://${m[1]}/${m[2]}/${m[3]}`;
    return { kind: 'github', web, commit: (h) => `${web}/commit/${h}`, compare: (a, b) => `${web}/compare/${encodeURIComponent(a)}...${encodeURIComponent(b)}` };
  }
  m = /^https:\/\/(?:[^@/]+@)?dev\.azure\.com\/([^/]+)\/([^/]+)\/_git\/([^/\s]+)$/i.exec(url) ?? /^(?:git@)?ssh\.dev\.azure\.com:v3\/([^/]+)\/([^/]+)\/([^/\s]+)$/i.exec(url);
  if (m) {
    const web = `https://dev.azure.com/${m[1]}/${m[2]}/_git/${m[3]}`;
    return { kind: 'azureRepos', web, commit: (h) => `${web}/commit/${h}`, compare: (a, b) => `${web}/branchCompare?baseVersion=GT${encodeURIComponent(a)}&targetVersion=GT${encodeURIComponent(b)}` };
  }
  m = /^https:\/\/([^./]+)\.visualstudio\.com\/(?:DefaultCollection\/)?([^/]+)\/_git\/([^/\s]+)$/i.exec(url);
  if (m) {
    const web = `https://dev.azure.com/${m[1]}/${m[2]}/_git/${m[3]}`;
    return { kind: 'azureRepos', web, commit: (h) => `${web}/commit/${h}`, compare: (a, b) => `${web}/branchCompare?baseVersion=GT${encodeURIComponent(a)}&targetVersion=GT${encodeURIComponent(b)}` };
  }
  return undefined;
}

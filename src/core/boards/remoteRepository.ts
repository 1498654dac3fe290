/**
 * Which service hosts a git remote, read from its URL: Azure Repos (`dev.azure.com/org/project/_git/repo`,
 * `org.visualstudio.com/project/_git/repo`, `ssh.dev.azure.com:v3/org/project/repo`) or GitHub
 * (`github.com/owner/repo`, `git@github.com:owner/repo.git`). Anything else (a server of another
 * kind, a local path) is undefined.
 */
export type RemoteRepository =
  | { readonly host: 'azureRepos'; readonly organization: string; readonly project: string; readonly repository: string }
  | { readonly host: 'github'; readonly owner: string; readonly repo: string };

const decode = (s: string): string => {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
};

export function remoteRepositoryOf(remoteUrl: string): RemoteRepository | undefined {
  const url = remoteUrl.trim();
  const ssh = /^(?:ssh:\/\/)?[^@/\s]+@ssh\.dev\.azure\.com[:/]v3\/([^/]+)\/([^/]+)\/([^/]+?)\/?$/i.exec(url);
  if (ssh) return { host: 'azureRepos', organization: decode(ssh[1]!), project: decode(ssh[2]!), repository: decode(ssh[3]!) };
  const gitHubSsh = /^(?:ssh:\/\/)?git@github\.com[:/]([^/\s]+)\/([^/\s]+?)(?:\.git)?\/?$/i.exec(url);
  if (gitHubSsh) return { host: 'github', owner: gitHubSsh[1]!, repo: gitHubSsh[2]! };
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return undefined;
  const segments = parsed.pathname.split('/').filter(Boolean).map(decode);
  const host = parsed.hostname.toLowerCase();
  if (host === 'github.com' && segments.length >= 2) return { host: 'github', owner: segments[0]!, repo: segments[1]!.replace(/\.git$/i, '') };
  const gitAt = segments.indexOf('_git');
  if (gitAt < 1 || gitAt + 1 >= segments.length) return undefined;
  const repository = segments[gitAt + 1]!;
  if (host === 'dev.azure.com' && gitAt >= 2) return { host: 'azureRepos', organization: segments[0]!, project: segments[gitAt - 1]!, repository };
  const vs = /^([\w-]+)\.visualstudio\.com$/.exec(host);
  // `_git/repo` right after the organization names the repository of the project with the same name.
  if (vs) return { host: 'azureRepos', organization: vs[1]!, project: segments[gitAt - 1]! === 'DefaultCollection' ? repository : segments[gitAt - 1]!, repository };
  return undefined;
}

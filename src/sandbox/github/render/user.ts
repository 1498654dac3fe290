import { type UserRecord } from '../state/model';
import { nodeId } from '../state/nodeIds';
import { type Urls } from './urls';

/** GitHub's `simple-user`. */
export function simpleUser(u: UserRecord, urls: Urls): Record<string, unknown> {
  const api = `${urls.api}/users/${u.login}`;
  return {
    login: u.login,
    id: u.id,
    node_id: nodeId(u.type === 'Organization' ? 'Organization' : 'User', u.id),
    avatar_url: `${urls.web}/avatars/u/${u.id}`,
    gravatar_id: '',
    url: api,
    html_url: `${urls.web}/${u.login}`,
    followers_url: `${api}/followers`,
    following_url: `${api}/following{/other_user}`,
    gists_url: `${api}/gists{/gist_id}`,
    starred_url: `${api}/starred{/owner}{/repo}`,
    subscriptions_url: `${api}/subscriptions`,
    organizations_url: `${api}/orgs`,
    repos_url: `${api}/repos`,
    events_url: `${api}/events{/privacy}`,
    received_events_url: `${api}/received_events`,
    type: u.type,
    user_view_type: 'public',
    site_admin: false,
  };
}

/** GitHub's `public-user`: what GET /users/{username} answers. */
export function publicUser(u: UserRecord, urls: Urls): Record<string, unknown> {
  return {
    ...simpleUser(u, urls),
    name: u.name,
    company: null,
    blog: '',
    location: null,
    email: u.email,
    hireable: null,
    bio: null,
    twitter_username: null,
    public_repos: 0,
    public_gists: 0,
    followers: 0,
    following: 0,
    created_at: u.createdAt,
    updated_at: u.createdAt,
  };
}

/** GitHub's `private-user`: what GET /user answers for the token's owner. */
export function privateUser(u: UserRecord, urls: Urls, ownedRepos: number): Record<string, unknown> {
  // Everything public-user has, and what only the owner sees.
  return {
    ...publicUser(u, urls),
    user_view_type: 'private',
    notification_email: u.email,
    private_gists: 0,
    total_private_repos: ownedRepos,
    owned_private_repos: ownedRepos,
    disk_usage: 0,
    collaborators: 0,
    two_factor_authentication: true,
    plan: { name: 'pro', space: 976562499, collaborators: 0, private_repos: 9999 },
  };
}

import { type AuthResult, type SandboxRequest } from '../../http/types';
import { SANDBOX_USER } from '../../identity';
import { errorBody } from './errors';

export const GRAPHQL_ROUTE = 'graphql';

/** The token in `Authorization: token X`, `Bearer X` or `Basic base64(login:X)`, as github.com reads them. */
function tokenOf(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const [scheme = '', value = ''] = header.trim().split(/\s+/, 2);
  const s = scheme.toLowerCase();
  if (s === 'token' || s === 'bearer') return value;
  if (s === 'basic') {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    return decoded.slice(decoded.indexOf(':') + 1);
  }
  return undefined;
}

/**
 * Token authentication as github.com does it: the sandbox token is the sandbox user; a wrong token
 * is 401 "Bad credentials"; no token is 401 "Requires authentication" (the demo repo is private, so
 * nothing here is readable anonymously). GraphQL never answers anonymously either.
 */
export function authenticate(req: SandboxRequest): AuthResult {
  const token = tokenOf(req.headers.authorization);
  if (token === req.credentials.githubToken) return { ok: true, principal: SANDBOX_USER.githubLogin };
  const headers = { 'x-github-media-type': 'github.v3; format=json', 'www-authenticate': 'Bearer realm="GitHub"' };
  if (token === undefined && req.routeName === GRAPHQL_ROUTE) {
    return {
      ok: false,
      response: {
        status: 401,
        headers,
        body: { message: 'This endpoint requires you to be authenticated.', documentation_url: 'https://docs.github.com/graphql/guides/forming-calls-with-graphql#authenticating-with-graphql', status: '401' },
      },
    };
  }
  return {
    ok: false,
    response: { status: 401, headers, body: errorBody(401, token === undefined ? 'Requires authentication' : 'Bad credentials', 'https://docs.github.com/rest') },
  };
}

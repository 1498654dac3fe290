import { type AuthResult, type SandboxRequest } from '../../http/types';
import { type SandboxCredentials, SANDBOX_USER } from '../../identity';

const SIGN_IN_PAGE = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Azure DevOps Services | Sign In</title></head>
<body><p>Sign in to your account to continue to Azure DevOps.</p>
<form method="post" action="https://login.microsoftonline.com/common/oauth2/authorize"><button type="submit">Sign in</button></form>
</body></html>`;

/** The sandbox user's PAT, whatever user name precedes it (clients send `PAT:`, `:` or an email). */
function credentialOk(header: string | undefined, credentials: SandboxCredentials): boolean {
  if (!header) return false;
  const [scheme, value = ''] = header.trim().split(/\s+/, 2) as [string, string?];
  if (scheme.toLowerCase() === 'bearer') return value === credentials.azureDevOpsBearer;
  if (scheme.toLowerCase() !== 'basic') return false;
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon >= 0 && decoded.slice(colon + 1) === credentials.azureDevOpsPat;
}

/**
 * Authenticates as dev.azure.com does: Basic with a PAT or Bearer with a token. A bad or missing
 * credential gets 401 when the client sends `X-TFS-FedAuthRedirect: Suppress` (every
 * azure-devops-node-api handler does), and otherwise 203 with the HTML sign-in page: a 2xx that
 * JSON clients silently read as an empty result, which is why the header matters.
 */
export function authenticate(req: SandboxRequest): AuthResult {
  if (credentialOk(req.headers.authorization, req.credentials)) return { ok: true, principal: SANDBOX_USER.adoId };
  const suppress = String(req.headers['x-tfs-fedauthredirect'] ?? '').toLowerCase() === 'suppress';
  if (suppress) {
    return {
      ok: false,
      response: {
        status: 401,
        headers: {
          'www-authenticate': 'Bearer authorization_uri=https://login.microsoftonline.com/common, Basic realm="https://dev.azure.com/", TFS-Federated',
          'x-tfs-fedauthrealm': 'https://dev.azure.com/',
          'x-tfs-serviceerror': encodeURIComponent('TF400813: The user is not authorized to access this resource.'),
        },
        body: Buffer.alloc(0),
      },
    };
  }
  return {
    ok: false,
    response: {
      status: 203,
      headers: { 'content-type': 'text/html; charset=utf-8', 'x-tfs-fedauthredirect': 'https://dev.azure.com/_signin' },
      body: SIGN_IN_PAGE,
    },
  };
}

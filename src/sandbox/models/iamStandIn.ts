import { type Route, type SandboxRequest, type SandboxResponse, type ServiceMount } from '../http/types';
import { type IamTokens } from './iamTokens';

const requestId = (): string => `sandbox-${Date.now().toString(36)}`;

const iamError = (status: number, errorCode: string, errorMessage: string): SandboxResponse => ({
  status,
  body: { errorCode, errorMessage, context: { requestId: requestId(), requestType: 'incoming.Identity_Token', host: 'iam.cloud.ibm.com' } },
});

/** The API-key grant of IBM Cloud IAM's token endpoint, form-encoded as the IBM SDK posts it. */
function token(req: SandboxRequest, tokens: IamTokens): SandboxResponse {
  if (!/application\/x-www-form-urlencoded/i.test(String(req.headers['content-type'] ?? ''))) {
    return iamError(400, 'BXNIM0109E', 'Property missing or empty. Operation not supported. Invalid Content-Type.');
  }
  const form = new URLSearchParams(req.body.toString('utf8'));
  if (form.get('grant_type') !== 'urn:ibm:params:oauth:grant-type:apikey') {
    return iamError(400, 'BXNIM0109E', 'Property missing or empty. Operation not supported. grant_type');
  }
  const apikey = form.get('apikey');
  if (!apikey) return iamError(400, 'BXNIM0109E', 'Property missing or empty. apikey');
  if (apikey !== req.credentials.watsonxApiKey) return iamError(400, 'BXNIM0415E', 'Provided API key could not be found.');
  const issued = tokens.issue('sandbox-user');
  return {
    status: 200,
    headers: { 'cache-control': 'no-store' },
    body: {
      access_token: issued.token,
      refresh_token: 'not_supported',
      ims_user_id: 1001,
      token_type: 'Bearer',
      expires_in: issued.exp - issued.iat,
      expiration: issued.exp,
      scope: 'ibm openid',
    },
  };
}

/** IBM Cloud IAM under `/iam`: the IAM authenticator's `url` is `{base}/iam`. */
export function iamStandIn(tokens: IamTokens): ServiceMount {
  const routes: Route[] = [{ name: 'iam.token', method: 'POST', pattern: '/identity/token', handler: (req) => token(req, tokens) }];
  return {
    name: 'iam',
    prefix: '/iam',
    routes,
    errorBody: (status, message) => ({ errorCode: status === 429 ? 'BXNIM0436E' : 'BXNIM0500E', errorMessage: message, context: { requestId: requestId() } }),
  };
}

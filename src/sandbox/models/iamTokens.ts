import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

const b64url = (data: Buffer | string): string => Buffer.from(data).toString('base64url');

/**
 * The access tokens IBM Cloud IAM issues and watsonx.ai accepts: JWTs with `iat` and `exp`, as the
 * IBM SDK decodes them to decide when to refresh. Signed with a per-process secret so a forged or
 * stale token is refused like the real service refuses it.
 */
export class IamTokens {
  private readonly secret = randomBytes(32);
  /** How long a token lives; tests shorten it to see the SDK fetch a new one. */
  lifetimeSeconds = 3600;
  issued = 0;

  issue(subject: string, now = Date.now()): { token: string; iat: number; exp: number } {
    const iat = Math.floor(now / 1000);
    const exp = iat + this.lifetimeSeconds;
    const head = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT', kid: 'sandbox' }));
    const body = b64url(JSON.stringify({ iam_id: `IBMid-${subject}`, sub: subject, iss: 'https://iam.cloud.ibm.com/identity', grant_type: 'urn:ibm:params:oauth:grant-type:apikey', scope: 'ibm openid', iat, exp }));
    const signature = b64url(createHmac('sha256', this.secret).update(`${head}.${body}`).digest());
    this.issued++;
    return { token: `${head}.${body}.${signature}`, iat, exp };
  }

  verify(token: string, now = Date.now()): 'ok' | 'invalid' | 'expired' {
    const [head, body, signature] = token.split('.');
    if (!head || !body || !signature) return 'invalid';
    const expected = createHmac('sha256', this.secret).update(`${head}.${body}`).digest();
    const given = Buffer.from(signature, 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'invalid';
    try {
      const claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as { exp?: number };
      return typeof claims.exp === 'number' && claims.exp * 1000 > now ? 'ok' : 'expired';
    } catch {
      return 'invalid';
    }
  }
}

/**
 * The secret corpus: one planted credential of every kind the security agent claims to find, and
 * look-alikes that are not credentials (placeholders, examples, templates). The credentials are
 * built here from a seeded generator, never pasted, so this repository holds no secret-shaped text.
 */
export function seeded(seed: number): (alphabet: string, length: number) => string {
  let s = seed >>> 0;
  return (alphabet, length) => {
    let out = '';
    for (let i = 0; i < length; i++) {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      out += alphabet[s % alphabet.length];
    }
    return out;
  };
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const UPPER_NUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const BASE32_LOWER = 'abcdefghijklmnopqrstuvwxyz234567';
const B64 = `${ALNUM}+/`;
const URLSAFE = `${ALNUM}_-`;

export interface Planted {
  readonly kind: string;
  readonly file: string;
  readonly text: string;
  /** The rule expected to find it. */
  readonly ruleId: string;
  /** The credential itself: must never appear in any output. */
  readonly secret: string;
}

export function plantedSecrets(seed = 7): Planted[] {
  const r = seeded(seed);
  const p = (kind: string, file: string, ruleId: string, secret: string, line: (s: string) => string): Planted => ({ kind, file, ruleId, secret, text: `// ${kind}\n${line(secret)}\n` });
  const pem = `MIIEowIBAAKCAQEA${r(B64, 64)}\n${Array.from({ length: 6 }, () => r(B64, 64)).join('\n')}`;
  return [
    p('AWS secret access key', 'src/aws.ts', '@secretlint/secretlint-rule-aws', r(B64, 40), (s) => `export const AWS_SECRET_ACCESS_KEY = "${s}";`),
    p('GitHub classic token', 'src/gh.ts', '@secretlint/secretlint-rule-github', `ghp_${r(ALNUM, 36)}`, (s) => `const token = "${s}";`),
    p('GitHub fine-grained token', 'src/ghfg.ts', '@secretlint/secretlint-rule-github', `github_pat_${r(ALNUM, 22)}_${r(ALNUM, 59)}`, (s) => `const token = '${s}';`),
    p('Azure DevOps PAT (84 characters)', 'scripts/ado.ps1', 'ai-devops/azure-devops-pat', `${r(ALNUM, 76)}AZDO${r(ALNUM, 4)}`, (s) => `$pat = "${s}"`),
    p('Azure DevOps PAT (52 characters)', 'config/ado.env.example.json', 'ai-devops/azure-devops-pat', r(BASE32_LOWER, 52), (s) => `{ "azureDevOpsPat": "${s}" }`),
    p('Azure Storage connection string', 'appsettings.json', 'ai-devops/azure-storage-connection-string', `${r(B64, 86)}==`, (s) => `{ "Storage": "DefaultEndpointsProtocol=https;AccountName=contosodata;AccountKey=${s};EndpointSuffix=core.windows.net" }`),
    p('Azure Service Bus connection string', 'src/bus.cs', 'ai-devops/azure-service-bus-connection-string', `${r(B64, 43)}=`, (s) => `var c = "Endpoint=sb://contoso.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=${s}";`),
    p('OpenAI key', 'src/ai.py', '@secretlint/secretlint-rule-openai', `sk-${r(ALNUM, 20)}T3BlbkFJ${r(ALNUM, 20)}`, (s) => `OPENAI_API_KEY = "${s}"`),
    p('OpenAI project key', 'src/ai2.py', '@secretlint/secretlint-rule-openai', `sk-proj-${r(URLSAFE, 74)}T3BlbkFJ${r(URLSAFE, 74)}`, (s) => `client = OpenAI(api_key="${s}")`),
    p('Gemini key', 'src/gemini.ts', 'ai-devops/gemini-api-key', `AIza${r(URLSAFE, 35)}`, (s) => `const gemini = new GoogleGenAI({ apiKey: "${s}" });`),
    p('watsonx key', 'src/wx.py', 'ai-devops/watsonx-api-key', r(URLSAFE, 44), (s) => `WATSONX_APIKEY = "${s}"`),
    p('Slack bot token', 'src/slack.js', '@secretlint/secretlint-rule-slack', `xoxb-${r('0123456789', 12)}-${r('0123456789', 13)}-${r(ALNUM, 24)}`, (s) => `const slack = "${s}";`),
    p('Slack webhook', 'src/hook.js', '@secretlint/secretlint-rule-slack', `https://hooks.slack.com/services/T${r(UPPER_NUM, 8)}/B${r(UPPER_NUM, 8)}/${r(ALNUM, 24)}`, (s) => `fetch("${s}")`),
    p('private key', 'deploy/id_rsa', '@secretlint/secretlint-rule-privatekey', `-----BEGIN RSA PRIVATE KEY-----\n${pem}\n-----END RSA PRIVATE KEY-----`, (s) => s),
    p('PostgreSQL URL with password', 'docker-compose.yml', '@secretlint/secretlint-rule-database-connection-string', `postgres://app:${r(ALNUM, 16)}@db.internal:5432/app`, (s) => `DATABASE_URL: ${s}`),
    p('MongoDB URL with password', 'src/mongo.ts', '@secretlint/secretlint-rule-database-connection-string', `mongodb+srv://svc:${r(ALNUM, 18)}@cluster0.example.net/app`, (s) => `connect("${s}")`),
    p('Redis URL with password', 'src/cache.ts', 'ai-devops/database-url', `redis://:${r(ALNUM, 20)}@cache.internal:6379/0`, (s) => `const url = "${s}";`),
    p('SQL Server connection string', 'src/Db.cs', 'ai-devops/database-url', `Server=tcp:contoso.database.windows.net,1433;Database=app;User Id=svc;Password=${r(ALNUM, 18)}`, (s) => `const string Conn = "${s};";`),
  ];
}

/** Text that looks like a credential but is not one: none of it may be a finding. */
export const LOOK_ALIKES: readonly { readonly file: string; readonly text: string }[] = [
  { file: 'docs/tokens.md', text: 'Set `GITHUB_TOKEN` to a token such as `ghp_' + 'X'.repeat(36) + '`.\n' },
  { file: 'docs/keys.md', text: 'OPENAI_API_KEY=sk-...\nGEMINI_API_KEY=<your-key>\n' },
  { file: '.env.example', text: 'DATABASE_URL=postgres://app:${DB_PASSWORD}@db:5432/app\nREDIS_URL=redis://:${REDIS_PASSWORD}@cache:6379\n' },
  { file: 'docs/aws.md', text: 'aws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n' },
  { file: 'docs/azure.md', text: 'AccountName=devstoreaccount1;AccountKey=<your-account-key>\nAZURE_DEVOPS_PAT=<your-pat>\n' },
  { file: 'docs/gemini.md', text: 'key = "AIza' + 'X'.repeat(35) + '"\n' },
  { file: 'docs/slack.md', text: 'token: xoxb-your-token-here\n' },
  { file: 'docs/pem.md', text: '-----BEGIN RSA PRIVATE KEY-----\n...\n-----END RSA PRIVATE KEY-----\n' },
  { file: 'src/config.ts', text: 'export const url = `postgres://${user}:${password}@${host}/db`;\nconst pat = process.env.AZURE_DEVOPS_PAT;\n' },
  { file: 'src/sql.cs', text: 'var conn = $"Server={host};Database=app;User Id={user};Password={password}";\n' },
];

const HEX = '0123456789abcdef';
const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const LETTERS = `${LOWER}ABCDEFGHIJKLMNOPQRSTUVWXYZ`;

/** A 1Password service account token: `ops_` and base64 of a JSON object whose length leaves `fQ` (a lone `}`) at the end. */
function onePasswordToken(r: (alphabet: string, length: number) => string): string {
  let json = `{"email":"${r(LOWER, 13)}@1passwordserviceaccounts.lcl","secretKey":"A3-${r(UPPER_NUM, 6)}-${r(UPPER_NUM, 6)}","srpX":"${r(HEX, 64)}"}`;
  while (json.length % 3 !== 1) json = json.replace('{"', '{ "');
  return `ops_${Buffer.from(json).toString('base64').replace(/=+$/, '')}`;
}

/** The gcp rule reads a whole JSON file, so no comment line goes above it (it reports the file from line 1). */
function gcpServiceAccount(r: (alphabet: string, length: number) => string, pem: string): Planted {
  const secret = `-----BEGIN PRIVATE KEY-----\n${pem}\n-----END PRIVATE KEY-----\n`;
  const text = `{\n"type": "service_account", "private_key_id": "${r(HEX, 40)}", "private_key": ${JSON.stringify(secret)}\n}\n`;
  return { kind: 'GCP service account key', file: 'deploy/sa.json', ruleId: '@secretlint/secretlint-rule-gcp', secret, text };
}

/**
 * One positive sample for every rule of secretlint's recommended preset that `plantedSecrets`
 * does not already cover (the secret-scan candidate tests check the preset's own rule list
 * against these, so a rule added by a newer preset fails until it has a sample here).
 */
export function presetSamples(seed = 23): Planted[] {
  const r = seeded(seed);
  const p = (kind: string, file: string, ruleId: string, secret: string, line: (s: string) => string): Planted => ({ kind, file, ruleId, secret, text: `// ${kind}\n${line(secret)}\n` });
  const pem = `MIIEvQIBADANBgkqhkiG9w0BAQEFAASC${r(B64, 32)}\n${Array.from({ length: 4 }, () => r(B64, 64)).join('\n')}`;
  return [
    p('1Password service account token', 'src/op.ts', '@secretlint/secretlint-rule-1password', onePasswordToken(r), (s) => `const op = "${s}";`),
    p('Anthropic key', 'src/claude.py', '@secretlint/secretlint-rule-anthropic', `sk-ant-api03-${r(URLSAFE, 93)}AA`, (s) => `ANTHROPIC_KEY = "${s}"`),
    p('URL with basic auth', 'scripts/fetch.sh', '@secretlint/secretlint-rule-basicauth', `https://deployer:${r(ALNUM, 14)}@artifacts.contoso.com`, (s) => `curl ${s}/x.tgz`),
    p('Cloudflare token', 'src/cf.ts', '@secretlint/secretlint-rule-cloudflare', `cfut_${r(ALNUM, 40)}${r(HEX, 8)}`, (s) => `const cf = "${s}";`),
    p('Databricks token', 'src/dbx.py', '@secretlint/secretlint-rule-databricks', `dapi${r(HEX, 32)}`, (s) => `TOKEN = "${s}"`),
    p('Docker Hub PAT', 'ci/docker.sh', '@secretlint/secretlint-rule-docker', `dckr_pat_${r(URLSAFE, 27)}`, (s) => `echo "${s}" | docker login -u ci --password-stdin`),
    p('Figma token', 'src/figma.ts', '@secretlint/secretlint-rule-figma', `figd_${r(URLSAFE, 40)}`, (s) => `const figma = "${s}";`),
    gcpServiceAccount(r, pem),
    p('GitLab PAT', 'src/gitlab.ts', '@secretlint/secretlint-rule-gitlab', `glpat-${r(URLSAFE, 20)}`, (s) => `const gl = "${s}";`),
    p('Grafana service account token', 'src/grafana.ts', '@secretlint/secretlint-rule-grafana', `glsa_${r(ALNUM, 32)}_${r(HEX, 8)}`, (s) => `const g = "${s}";`),
    p('Groq key', 'src/groq.py', '@secretlint/secretlint-rule-groq', `gsk_${r(ALNUM, 52)}`, (s) => `GROQ = "${s}"`),
    p('HashiCorp Vault token', 'src/vault.go', '@secretlint/secretlint-rule-hashicorp-vault', `hvs.${r(URLSAFE, 95)}`, (s) => `token := "${s}"`),
    p('Hugging Face token', 'src/hf.py', '@secretlint/secretlint-rule-huggingface', `hf_${r(LETTERS, 34)}`, (s) => `HF = "${s}"`),
    p('Linear key', 'src/linear.ts', '@secretlint/secretlint-rule-linear', `lin_api_${r(ALNUM, 40)}`, (s) => `const lin = "${s}";`),
    p('Notion token', 'src/notion.ts', '@secretlint/secretlint-rule-notion', `ntn_${r('0123456789', 11)}${r(ALNUM, 35)}`, (s) => `const n = "${s}";`),
    p('npm token', 'src/npm.ts', '@secretlint/secretlint-rule-npm', `npm_${r(ALNUM, 36)}`, (s) => `const npm = "${s}";`),
    p('SendGrid key', 'src/mail.ts', '@secretlint/secretlint-rule-sendgrid', `SG.${r(URLSAFE.replace('-', ''), 22)}.${r(URLSAFE.replace('-', ''), 43)}`, (s) => `const sg = "${s}";`),
    p('Shopify token', 'src/shop.ts', '@secretlint/secretlint-rule-shopify', `shpat_${r(HEX, 32)}`, (s) => `const shop = "${s}";`),
    p('Stripe key', 'src/pay.ts', '@secretlint/secretlint-rule-stripe', `sk_live_${r(ALNUM, 24)}`, (s) => `const stripe = "${s}";`),
    p('Tailscale key', 'src/ts.ts', '@secretlint/secretlint-rule-tailscale', `tskey-auth-${r(ALNUM, 12)}-${r(ALNUM, 30)}`, (s) => `const ts = "${s}";`),
    p('Vercel token', 'src/vercel.ts', '@secretlint/secretlint-rule-vercel', `vcp_${r(ALNUM, 40)}`, (s) => `const v = "${s}";`),
  ];
}

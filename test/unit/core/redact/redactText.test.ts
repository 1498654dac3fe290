import assert from 'node:assert/strict';
import { redactText } from '../../../../src/core/redact';
import { canaries } from './canaries';

interface Case {
  readonly name: string;
  readonly text: string;
  readonly secret: string;
  /** Text that must survive redaction (context the reader needs). */
  readonly keeps?: readonly string[];
}

const gh = canaries.githubClassic('p');
const pw = canaries.password();

const cases: Case[] = [
  { name: 'Authorization: Bearer header', text: `Authorization: Bearer ${gh}`, secret: gh, keeps: ['Authorization: Bearer '] },
  { name: 'Authorization: Basic header', text: `authorization: Basic ${canaries.basic()}`, secret: canaries.basic(), keeps: ['authorization: Basic '] },
  { name: 'Proxy-Authorization header', text: `Proxy-Authorization: Basic ${canaries.basic('proxy', pw)}`, secret: canaries.basic('proxy', pw), keeps: ['Proxy-Authorization: Basic'] },
  { name: 'Authorization in JSON', text: `{"headers":{"Authorization":"Bearer ${canaries.jwt()}","Accept":"application/json"}}`, secret: canaries.jwt(), keeps: ['"Accept":"application/json"'] },
  { name: 'Authorization without scheme', text: `authorization=${canaries.adoPatNew()}`, secret: canaries.adoPatNew() },
  { name: 'bare Bearer token in prose', text: `retrying with Bearer ${canaries.openai()} after 401`, secret: canaries.openai(), keeps: ['after 401'] },
  { name: 'bare Basic credential', text: `sent Basic ${canaries.basic('ada', pw)} to the proxy`, secret: canaries.basic('ada', pw), keeps: ['to the proxy'] },
  { name: 'URL with user:password', text: `cloning https://ada:${pw}@dev.azure.com/contoso/_git/web`, secret: pw, keeps: ['https://ada:', '@dev.azure.com/contoso/_git/web'] },
  { name: 'URL with token as user', text: `git remote add origin https://${gh}@github.com/contoso/web.git`, secret: gh, keeps: ['@github.com/contoso/web.git'] },
  { name: 'URL with x-access-token', text: `https://x-access-token:${canaries.githubClassic('s')}@github.com/o/r`, secret: canaries.githubClassic('s') },
  { name: 'query access_token', text: `GET https://api.example.com/v1/items?access_token=${pw}&page=2`, secret: pw, keeps: ['&page=2'] },
  { name: 'query key', text: `https://generativelanguage.googleapis.com/v1/models?key=${pw}`, secret: pw },
  { name: 'query sig (SAS)', text: `https://acct.blob.core.windows.net/c/b?sv=2022-11-02&se=2030-01-01&sig=${encodeURIComponent(canaries.storageKey())}`, secret: encodeURIComponent(canaries.storageKey()), keeps: ['sv=2022-11-02'] },
  { name: 'fragment access_token', text: `https://app/callback#access_token=${pw}&token_type=bearer`, secret: pw },
  { name: 'GitHub ghp_', text: `token ${canaries.githubClassic('p')} was refused`, secret: canaries.githubClassic('p'), keeps: ['was refused'] },
  { name: 'GitHub gho_', text: `oauth ${canaries.githubClassic('o')}`, secret: canaries.githubClassic('o') },
  { name: 'GitHub ghu_', text: `user-to-server ${canaries.githubClassic('u')}.`, secret: canaries.githubClassic('u') },
  { name: 'GitHub ghs_', text: `installation (${canaries.githubClassic('s')})`, secret: canaries.githubClassic('s') },
  { name: 'GitHub ghr_', text: `refresh ${canaries.githubClassic('r')}`, secret: canaries.githubClassic('r') },
  { name: 'GitHub fine-grained PAT', text: `pat ${canaries.githubFineGrained()} expired`, secret: canaries.githubFineGrained() },
  { name: 'Azure DevOps PAT (52, in context)', text: `AZURE_DEVOPS_EXT_PAT=${canaries.adoPatClassic()}`, secret: canaries.adoPatClassic(), keeps: ['AZURE_DEVOPS_EXT_PAT='] },
  { name: 'Azure DevOps PAT (52, bare)', text: `using ${canaries.adoPatClassic()} for dev.azure.com`, secret: canaries.adoPatClassic() },
  { name: 'Azure DevOps PAT (84, AZDO signature)', text: `pat is ${canaries.adoPatNew()}`, secret: canaries.adoPatNew() },
  { name: 'OpenAI sk-', text: `OPENAI key ${canaries.openai()} rejected`, secret: canaries.openai() },
  { name: 'OpenAI sk-proj-', text: `${canaries.openaiProject()}`, secret: canaries.openaiProject() },
  { name: 'Anthropic sk-ant-', text: `x ${canaries.anthropic()} y`, secret: canaries.anthropic() },
  { name: 'Google AIza', text: `gemini key=${canaries.google()}`, secret: canaries.google() },
  { name: 'Google AIza bare', text: `calling with ${canaries.google()} now`, secret: canaries.google() },
  { name: 'AWS access key id', text: `aws: ${canaries.awsAccessKeyId()} denied`, secret: canaries.awsAccessKeyId() },
  { name: 'AWS secret access key (ini)', text: `aws_secret_access_key = ${canaries.awsSecret()}`, secret: canaries.awsSecret(), keeps: ['aws_secret_access_key = '] },
  { name: 'AWS secret (JSON)', text: `{"SecretAccessKey":"${canaries.awsSecret()}"}`, secret: canaries.awsSecret(), keeps: ['{"SecretAccessKey":"', '"}'] },
  { name: 'JWT', text: `id token ${canaries.jwt()} issued`, secret: canaries.jwt().split('.')[2]!, keeps: ['issued'] },
  { name: 'RSA private key block', text: `key:\n${canaries.privateKey()}\nend`, secret: canaries.privateKey().split('\n')[1]!, keeps: ['\nend'] },
  { name: 'OpenSSH private key block', text: canaries.privateKey('OPENSSH PRIVATE KEY'), secret: canaries.privateKey().split('\n')[2]! },
  { name: 'truncated private key', text: `oops ${canaries.privateKey().split('\n').slice(0, 2).join('\n')}`, secret: canaries.privateKey().split('\n')[1]! },
  { name: 'private key in JSON string', text: JSON.stringify({ key: canaries.privateKey('PRIVATE KEY') }), secret: canaries.privateKey().split('\n')[1]! },
  { name: 'SQL connection string Password=', text: `Server=tcp:db.example.net;Database=app;User ID=ada;Password=${pw};Encrypt=True`, secret: pw, keeps: ['Database=app', ';Encrypt=True'] },
  { name: 'Storage AccountKey=', text: `DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=${canaries.storageKey()};EndpointSuffix=core.windows.net`, secret: canaries.storageKey(), keeps: ['AccountName=acct', 'EndpointSuffix=core.windows.net'] },
  { name: 'Service Bus SharedAccessKey=', text: `Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=Root;SharedAccessKey=${canaries.storageKey()}`, secret: canaries.storageKey() },
  { name: 'quoted Password=', text: `Password="${pw} with spaces";Timeout=5`, secret: pw, keeps: [';Timeout=5'] },
  { name: 'JSON password', text: `{"user":"ada","password":"${pw}"}`, secret: pw, keeps: ['{"user":"ada","password":"', '"}'] },
  { name: 'YAML token', text: `github:\n  token: ${pw}\n  owner: contoso`, secret: pw, keeps: ['owner: contoso'] },
  { name: '.env secret', text: `CLIENT_SECRET=${pw}\nPORT=8080`, secret: pw, keeps: ['PORT=8080'] },
  { name: 'x-api-key header', text: `x-api-key: ${pw}`, secret: pw },
  { name: 'Azure OpenAI api-key header', text: `api-key: ${pw}`, secret: pw },
  { name: 'Cookie header', text: `Cookie: session=${pw}; theme=dark`, secret: pw, keeps: ['Cookie: '] },
  { name: 'Set-Cookie header', text: `Set-Cookie: id=${pw}; HttpOnly`, secret: pw },
  { name: 'CLI --password flag', text: `az login --username ada --password ${pw} --tenant t`, secret: pw, keeps: ['--tenant t'] },
  { name: 'CLI --token=', text: `gh auth --token=${pw}`, secret: pw },
  { name: 'Slack token', text: `slack ${canaries.slack()}`, secret: canaries.slack() },
  { name: 'npm token', text: `//registry.npmjs.org/:_authToken=${canaries.npm()}`, secret: canaries.npm() },
];

describe('redactText', () => {
  for (const c of cases) {
    it(`redacts ${c.name}`, () => {
      const out = redactText(c.text);
      assert.ok(!out.includes(c.secret), `secret survived: ${out}`);
      assert.match(out, /\[REDACTED/);
      for (const keep of c.keeps ?? []) assert.ok(out.includes(keep), `lost context ${JSON.stringify(keep)}: ${out}`);
    });
  }

  it('is idempotent on every canary', () => {
    for (const c of cases) {
      const once = redactText(c.text);
      assert.equal(redactText(once), once, c.name);
    }
  });

  it('keeps redacted JSON parseable', () => {
    const text = JSON.stringify({ password: canaries.password(), headers: { Authorization: `Bearer ${canaries.githubClassic('p')}` }, url: `https://ada:${canaries.password()}@host/x?sig=abc123` });
    const parsed = JSON.parse(redactText(text)) as Record<string, unknown>;
    assert.ok(!JSON.stringify(parsed).includes(canaries.password()));
  });

  const innocent = [
    'Activated in 42 ms (backend live).',
    'Fetched 200 work items from https://dev.azure.com/contoso/web/_apis/wit/workitems?ids=1,2,3&api-version=7.1',
    'ssh://git@github.com/contoso/web.git',
    'commit 3f786850e387550fdab836ed7e6dc881de23001b by Ada',
    'sha256 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
    'prompt tokens: 523, completion tokens: 88, maxTokens=4096',
    'The Basic process has Epic, Issue and Task; the bearer of news is a Basic template.',
    'Token refresh scheduled; secret storage is available; password prompts are disabled.',
    'risk-assessment-framework-for-cloud-apps',
    'tokenType=bearer state=Active key=AB#123',
    'password: ${{ secrets.DB_PASSWORD }}',
    'Moved AB#42 from New to Active (Agile / User Story).',
    'https://github.com/contoso/web/pull/7#issuecomment-1',
  ];
  for (const line of innocent) {
    it(`leaves alone: ${line.slice(0, 50)}`, () => assert.equal(redactText(line), line));
  }

  it('returns short text unchanged without scanning', () => {
    assert.equal(redactText(''), '');
    assert.equal(redactText('pwd=x'), 'pwd=x');
  });
});

import assert from 'node:assert/strict';
import { envReferenceChanges, ignoresDotenv, suggestedVariable, withDotenvEntry } from '../../../../src/agents/security/secrets/envReference';
import { parseSecurityRequest } from '../../../../src/agents/security/parseRequest';

const apply = (text: string, changes: readonly { start: number; end: number; text: string }[]): string =>
  [...changes].sort((a, b) => b.start - a.start).reduce((t, c) => t.slice(0, c.start) + c.text + t.slice(c.end), text);

describe('security agent: the editor quick fix and chat helpers', () => {
  const at = (text: string, secret: string): [number, number] => [text.indexOf(secret), text.indexOf(secret) + secret.length];

  it('replaces a whole string literal with the language\'s environment lookup', () => {
    const cases: [string, string, string][] = [
      ['a.ts', 'const t = "S3CR3T";\n', 'const t = process.env.TOKEN;\n'],
      ['a.py', 'TOKEN = \'S3CR3T\'\n', 'import os\nTOKEN = os.environ["TOKEN"]\n'],
      ['a.cs', 'var t = "S3CR3T";\n', 'var t = Environment.GetEnvironmentVariable("TOKEN");\n'],
      ['a.ps1', '$t = "S3CR3T"\n', '$t = $env:TOKEN\n'],
    ];
    for (const [file, text, expected] of cases) assert.equal(apply(text, envReferenceChanges(file, text, ...at(text, 'S3CR3T'), 'TOKEN')), expected, file);
  });

  it('puts ${NAME} where the secret is part of a larger value or in a config file', () => {
    const text = 'DATABASE_URL: postgres://app:S3CR3T@db/app\n';
    assert.equal(apply(text, envReferenceChanges('compose.yml', text, ...at(text, 'S3CR3T'), 'DATABASE_PASSWORD')), 'DATABASE_URL: postgres://app:${DATABASE_PASSWORD}@db/app\n');
    const inString = 'const u = "postgres://app:S3CR3T@db/app";\n';
    assert.equal(apply(inString, envReferenceChanges('a.ts', inString, ...at(inString, 'S3CR3T'), 'PW')), 'const u = "postgres://app:${PW}@db/app";\n');
  });

  it('writes and replaces .env entries, quoting values that need it, and knows when .env is ignored', () => {
    assert.equal(withDotenvEntry('', 'A', 'x'), 'A=x\n');
    assert.equal(withDotenvEntry('A=old\nB=2\n', 'A', 'new'), 'A=new\nB=2\n');
    assert.equal(withDotenvEntry('B=2', 'A', 'has space'), 'B=2\nA="has space"\n');
    assert.equal(ignoresDotenv('node_modules\n.env\n'), true);
    assert.equal(ignoresDotenv('node_modules\n.env.example\n'), false);
    assert.equal(suggestedVariable('@secretlint/secretlint-rule-github'), 'GITHUB_TOKEN');
    assert.equal(suggestedVariable('ai-devops/azure-devops-pat'), 'AZURE_DEVOPS_PAT');
  });

  it('reads @devops /security sentences by keywords', () => {
    assert.deepEqual(parseSecurityRequest('').input, {});
    assert.deepEqual(parseSecurityRequest('check secrets and vulnerable dependencies').input, { only: ['secrets', 'dependencies'] });
    assert.deepEqual(parseSecurityRequest('secrets in the whole git history, write a SARIF report').input, { only: ['secrets'], history: 'all', reports: true });
    assert.deepEqual(parseSecurityRequest('look at the unpushed commits').input, { history: 'unpushed' });
  });
});

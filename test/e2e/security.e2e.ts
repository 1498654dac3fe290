import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { openChat, pickChatModel, sendChatMessage } from './helpers/chat';
import { screenshot } from './helpers/screenshots';
import { session } from './helpers/session';

/** A Slack token built here, never written in the source. */
function slackToken(): string {
  let s = 7;
  const pick = (alphabet: string, n: number): string => Array.from({ length: n }, () => alphabet[(s = (Math.imul(s, 1664525) + 1013904223) >>> 0) % alphabet.length]).join('');
  return `xoxb-${pick('0123456789', 12)}-${pick('0123456789', 13)}-${pick('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789', 24)}`;
}

// The security agent end to end in the real workbench: @devops /security scans (plan mode, nothing
// changed), the chat lists the committed token by rule and place without its value, and the
// finding is in the Problems panel with its rule.
describe('security agent in the browser', () => {
  it('@devops /security: the finding in the chat and in Problems, never the secret', async function () {
    this.timeout(180_000);
    const { page, workspace } = session();
    const token = slackToken();
    await fs.mkdir(path.join(workspace, 'security-e2e'), { recursive: true });
    await fs.writeFile(path.join(workspace, 'security-e2e', 'notify.ts'), `export const slack = "${token}";\n`);
    await openChat(page);
    await pickChatModel(page, 'Sandbox model');
    const answer = await sendChatMessage(page, '@devops /security check for secrets', 120_000);
    assert.match(answer, /1 open finding \(1 secrets/);
    assert.match(answer, /Security scan/);
    assert.match(answer, /secretlint-rule-slack/);
    assert.match(answer, /security-e2e\/notify\.ts:1/);
    assert.ok(!answer.includes(token), 'the token is not in the chat');
    await screenshot(page, 'security scan in the chat');

    await page.keyboard.press('Control+Shift+M');
    const problems = page.locator('.markers-panel');
    await problems.waitFor({ state: 'visible', timeout: 30_000 });
    await problems.locator('.monaco-list-row', { hasText: 'secretlint-rule-slack' }).first().waitFor({ timeout: 30_000 });
    assert.ok(!(await problems.innerText()).includes(token), 'the token is not in Problems');
    await screenshot(page, 'security finding in Problems');
  });
});

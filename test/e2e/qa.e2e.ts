import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { openChat, pickChatModel, sendChatMessage } from './helpers/chat';
import { screenshot } from './helpers/screenshots';
import { session } from './helpers/session';
import { runPaletteCommand } from './helpers/workbench';

const TESTS = `const test = require('node:test');
const assert = require('node:assert');

test.describe('cart', () => {
  test.it('adds an item', () => {
    assert.strictEqual(1 + 1, 2);
  });
  test.it('applies the discount', () => {
    assert.strictEqual(Math.round(10 * 0.9), 8);
  });
});
`;

// The QA agent end to end in the real workbench: @devops /test says what it understood, the test
// command is asked about in VS Code's own dialog (commands are "ask" by default), the results come
// back in the chat, the failing test is in the Testing view and in the Problems panel.
describe('QA agent in the browser', () => {
  it('@devops /test: the run asked for, its results in the chat, the Testing view and Problems', async function () {
    this.timeout(240_000);
    const { page, workspace } = session();
    const dir = path.join(workspace, 'qa-e2e');
    await fs.mkdir(path.join(dir, 'test'), { recursive: true });
    await fs.writeFile(path.join(dir, 'package.json'), JSON.stringify({ name: 'qa-e2e', private: true, scripts: { test: 'node --test' } }, null, 2));
    await fs.writeFile(path.join(dir, 'test', 'cart.test.js'), TESTS);
    await openChat(page);
    await pickChatModel(page, 'Sandbox model');

    const answering = sendChatMessage(page, '@devops /test run the tests in qa-e2e/ without rerun', 180_000);
    // The run asks before it starts the project's test script: "Run" in the modal dialog.
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor({ state: 'visible', timeout: 90_000 });
    assert.match(await dialog.innerText(), /The qa agent wants to run: npm test/);
    await screenshot(page, 'qa asks to run the test script');
    await dialog.locator('.monaco-button', { hasText: /^Run$/ }).click();
    const answer = await answering;
    await screenshot(page, 'qa results in the chat');
    // (What it understood is said first, in the response's progress; the integration suite reads it.)
    assert.match(answer, /Tests: 1 passed, 1 failed, 0 flaky, 0 skipped/);
    assert.match(answer, /node:test \(qa-e2e\): 2 tests/);
    assert.match(answer, /qa\/test-failed qa-e2e\/test\/cart\.test\.js:9: cart › applies the discount failed/);

    // The Testing view shows the run: the test file, failed.
    await runPaletteCommand(page, 'Testing: Focus on Test Explorer View');
    const explorer = page.locator('.test-explorer');
    await explorer.waitFor({ state: 'visible', timeout: 30_000 });
    const file = explorer.locator('.monaco-list-row', { hasText: 'cart.test.js' }).first();
    await file.waitFor({ timeout: 30_000 });
    // The file row carries its tests' outcome: failed (one of its tests failed).
    await file.locator('.codicon-testing-failed-icon').waitFor({ timeout: 30_000 });
    await screenshot(page, 'qa failing test in the Testing view');

    await runPaletteCommand(page, 'View: Focus Problems (Errors, Warnings, Infos)');
    const problems = page.locator('.markers-panel');
    await problems.locator('.monaco-list-row', { hasText: 'applies the discount' }).first().waitFor({ timeout: 30_000 });
    assert.match(await problems.innerText(), /qa\/test-failed/);
    await screenshot(page, 'qa failing test in Problems');
  });
});

import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { runPaletteCommand, startPaletteCommand } from './helpers/workbench';
import { screenshot } from './helpers/screenshots';
import { session } from './helpers/session';

// The platform agent's hardening review end to end: AI DevOps: Harden… from the palette, "Review"
// in its quick pick, and the findings in the Problems panel with their rule ids.
describe('platform agent in the browser', () => {
  it('Harden…: the hardening findings appear in the Problems panel', async function () {
    this.timeout(180_000);
    const { page, workspace } = session();
    await fs.mkdir(path.join(workspace, 'deploy'), { recursive: true });
    await fs.writeFile(path.join(workspace, 'deploy', 'Dockerfile'), 'FROM node:latest\nRUN apt-get update && apt-get install -y curl\nEXPOSE 80\nCMD ["node", "index.js"]\n');
    await startPaletteCommand(page, 'AI DevOps: Harden…');
    await page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: 'findings in the Problems panel' }).first().waitFor({ timeout: 30_000 });
    await page.keyboard.press('Enter');
    await page.locator('.notification-toast', { hasText: /Hardening review/ }).first().waitFor({ timeout: 90_000 });
    await runPaletteCommand(page, 'View: Focus Problems (Errors, Warnings, Infos)');
    const panel = page.locator('.markers-panel');
    await panel.locator('.monaco-list-row', { hasText: 'dockerfile/runs-as-root' }).first().waitFor({ timeout: 60_000 });
    const text = await panel.innerText();
    for (const rule of ['dockerfile/runs-as-root', 'dockerfile/unpinned-base-image', 'dockerfile/package-cache', 'dockerfile/privileged-port', 'dockerfile/no-healthcheck']) assert.match(text, new RegExp(rule.replace('/', '\\/')));
    assert.match(text, /Dockerfile/);
    await screenshot(page, 'hardening findings in the Problems panel');
  });
});

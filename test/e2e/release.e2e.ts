import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { type Locator, type Page } from 'playwright-core';
import { chatView, openChat, pickChatModel, sendChatMessage } from './helpers/chat';
import { screenshot } from './helpers/screenshots';
import { session } from './helpers/session';

const GIT_ENV = { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_AUTHOR_NAME: 'E2E', GIT_AUTHOR_EMAIL: 'e2e@example.com', GIT_COMMITTER_NAME: 'E2E', GIT_COMMITTER_EMAIL: 'e2e@example.com' };
const git = (cwd: string, ...args: string[]): string => execFileSync('git', args, { cwd, env: GIT_ENV, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();

// The release agent end to end in the real workbench: the demo workspace becomes a repository with
// a release tag and a feature after it; @devops /release plans (nothing changed, the notes with the
// sandbox's work item title), "Review and Apply…" lists every step, and Enter writes CHANGELOG.md
// and package.json, commits, tags and pushes to a local bare remote.
const modelDialog = (page: Page): Locator => page.locator('.monaco-dialog-box', { hasText: 'wants to send workspace content' });

describe('release agent in the browser', () => {
  let workspace: string;
  let origin: string;
  let packageJson: string;

  before(async () => {
    workspace = session().workspace;
    origin = path.join(path.dirname(workspace), 'release-origin.git');
    packageJson = await fs.readFile(path.join(workspace, 'package.json'), 'utf8');
    git(path.dirname(workspace), 'init', '-q', '--bare', '-b', 'main', origin);
    git(workspace, 'init', '-q', '-b', 'main');
    git(workspace, 'config', 'commit.gpgsign', 'false');
    git(workspace, 'config', 'tag.gpgsign', 'false');
    // The agent's own commit and tag run git in the window, which has no identity of its own here.
    git(workspace, 'config', 'user.name', 'E2E');
    git(workspace, 'config', 'user.email', 'e2e@example.com');
    git(workspace, 'add', '-A');
    git(workspace, 'commit', '-q', '-m', 'chore: the demo workspace');
    git(workspace, 'tag', '-a', 'v1.1.0', '-m', 'Release v1.1.0');
    await fs.writeFile(path.join(workspace, 'src', 'magicLink.ts'), 'export const magicLink = true;\n');
    git(workspace, 'add', '-A');
    git(workspace, 'commit', '-q', '-m', 'feat(auth): sign in with a magic link\n\nFixes AB#3');
    git(workspace, 'remote', 'add', 'origin', origin);
    git(workspace, 'push', '-q', 'origin', 'main', 'v1.1.0');
  });

  // The other e2e files see the demo workspace as it was: no repository, no release, no dialog.
  after(async () => {
    const { page } = session();
    if (await modelDialog(page).isVisible()) await modelDialog(page).locator('.monaco-button', { hasText: 'Cancel' }).click();
    await fs.rm(path.join(workspace, '.git'), { recursive: true, force: true });
    await fs.rm(origin, { recursive: true, force: true });
    await fs.rm(path.join(workspace, 'src', 'magicLink.ts'), { force: true });
    await fs.rm(path.join(workspace, 'CHANGELOG.md'), { force: true });
    await fs.writeFile(path.join(workspace, 'package.json'), packageJson);
  });

  it('@devops /release: the plan in the chat, each step reviewed, then commit, tag and push', async function () {
    this.timeout(240_000);
    const { page } = session();
    await openChat(page);
    await pickChatModel(page, 'Sandbox model');
    // With a model picked, the plan asks it for a summary of the notes: VS Code asks first whether
    // workspace content may go to it (a modal dialog), answered here as a user would.
    const answering = sendChatMessage(page, '@devops /release without publishing', 150_000);
    await modelDialog(page).waitFor({ timeout: 120_000 });
    await screenshot(page, 'release asks before sending the notes to the model');
    await modelDialog(page).locator('.monaco-button', { hasText: 'Send' }).click();
    const answer = await answering;
    assert.match(answer, /The notes are not published anywhere/);
    assert.match(answer, /Release v1\.2\.0/);
    assert.match(answer, /1\.1\.0 → 1\.2\.0 \(minor\)/);
    assert.match(answer, /AB#3/);
    assert.match(answer, /Nothing has been changed yet/);
    assert.equal(git(workspace, 'tag', '--list', 'v1.2.0'), '', 'planning tags nothing');
    await screenshot(page, 'release plan in the chat');

    await chatView(page).locator('.monaco-button', { hasText: 'Review and Apply' }).last().click();
    const review = page.locator('.quick-input-widget');
    await review.waitFor({ state: 'visible', timeout: 60_000 });
    await review.locator('.quick-input-list .monaco-list-row', { hasText: 'CHANGELOG.md' }).first().waitFor({ timeout: 30_000 });
    const shown = await review.innerText();
    for (const step of ['package.json', /git commit/, /Tag v1\.2\.0/, /Push main and v1\.2\.0 to origin/]) assert.match(shown, typeof step === 'string' ? new RegExp(step.replace('.', '\\.')) : step);
    await screenshot(page, 'release review with each step');

    await page.keyboard.press('Enter');
    // Should applying ask about the model again, the same answer.
    void modelDialog(page)
      .waitFor({ timeout: 60_000 })
      .then(() => modelDialog(page).locator('.monaco-button', { hasText: 'Send' }).click())
      .catch(() => undefined);
    await page.locator('.notification-toast', { hasText: /Release: Release v1\.2\.0 \(2 files written, 2 commands run, 2 remote change\(s\) sent or queued\)/ }).waitFor({ timeout: 90_000 });
    await screenshot(page, 'release applied');
    assert.equal(git(workspace, 'log', '-1', '--format=%s'), 'chore(release): 1.2.0');
    assert.equal(JSON.parse(await fs.readFile(path.join(workspace, 'package.json'), 'utf8')).version, '1.2.0');
    assert.match(await fs.readFile(path.join(workspace, 'CHANGELOG.md'), 'utf8'), /## \[1\.2\.0\] - \d{4}-\d{2}-\d{2}[\s\S]*sign in with a magic link/);
    assert.equal(git(origin, 'rev-parse', 'v1.2.0^{commit}'), git(workspace, 'rev-parse', 'HEAD'), 'the annotated tag is on the remote');
  });
});

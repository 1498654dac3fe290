import assert from 'node:assert/strict';
import { chatInputHint, openChat, typeInChat } from './helpers/chat';
import { screenshot } from './helpers/screenshots';
import { session } from './helpers/session';
import { editorText, openFile, openViewContainer, outputPanelChannel, outputPanelText, runPaletteCommand } from './helpers/workbench';

describe('AI DevOps in the browser VS Code', () => {
  it('shows the AI DevOps container with its five views', async () => {
    const { page } = session();
    const titles = await openViewContainer(page, 'AI DevOps');
    await screenshot(page, 'ai devops container');
    assert.deepEqual(titles, ['Azure Boards', 'GitHub Projects', 'Linked TODOs', 'Agent Runs', 'Audit Trail']);
  });

  it('opens a file of the demo workspace', async () => {
    const { page } = session();
    await openFile(page, 'src/auth/reset.ts');
    await screenshot(page, 'reset ts open');
    const text = await editorText(page);
    assert.match(text, /export function startReset/);
    assert.match(text, /TODO AB#7 send it through the transactional email service/);
  });

  it('runs "AI DevOps: Show Log" from the palette and shows its output', async () => {
    const { page } = session();
    await runPaletteCommand(page, 'AI DevOps: Show Log');
    assert.equal(await outputPanelChannel(page), 'AI DevOps');
    const log = await outputPanelText(page);
    await screenshot(page, 'show log output');
    assert.match(log, /\[info\] Activated in \d+ ms \(backend sandbox\)/);
  });

  it('opens the Chat view, where @devops /status is recognised', async () => {
    const { page } = session();
    await openChat(page);
    await typeInChat(page, '@devops /status ');
    const hint = await chatInputHint(page);
    await screenshot(page, 'chat devops status typed');
    assert.match(hint, /My work items, the current sprint/);
  });
});

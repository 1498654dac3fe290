import { rmSync } from 'node:fs';
import { type Context } from 'mocha';
import { screenshot } from './helpers/screenshots';
import { e2eResults, session, startSession, stopSession } from './helpers/session';

/** Root hooks (loaded through .mocharc.json `require`): one VS Code window for every e2e file. */
export const mochaHooks = {
  async beforeAll(this: Context) {
    this.timeout(180_000);
    rmSync(e2eResults, { recursive: true, force: true });
    const { server } = await startSession();
    console.log(`    VS Code (code-server) at ${server.url}, results in test-results/e2e/`);
  },
  async afterEach(this: Context) {
    if (this.currentTest?.state === 'failed') await screenshot(session().page, `failed ${this.currentTest.title}`).catch(() => undefined);
  },
  async afterAll(this: Context) {
    this.timeout(60_000);
    const memory = (() => {
      try {
        return session().server.memory();
      } catch {
        return undefined;
      }
    })();
    if (memory) console.log(`    code-server with one window: ${memory.pssMiB} MiB PSS, ${memory.rssMiB} MiB RSS in ${memory.processes} processes`);
    await stopSession();
  },
};

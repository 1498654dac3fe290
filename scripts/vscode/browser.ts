import { accessSync, constants } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { CHROMIUM_ARGS, chromiumPath } from './config';

export class BrowserMissingError extends Error {
  override readonly name = 'BrowserMissingError';
}

/**
 * Debian's Chromium, headless, driven by playwright-core (which downloads no browser of its own).
 * Playwright starts it in its own process group and kills that group on close and on exit.
 */
export async function launchChromium(options: { headless?: boolean; executablePath?: string } = {}): Promise<Browser> {
  const executablePath = options.executablePath ?? chromiumPath();
  try {
    accessSync(executablePath, constants.X_OK);
  } catch {
    throw new BrowserMissingError(
      `Chromium is not installed at ${executablePath}. Run \`npm run test:integration\` or \`npm start\` once (they install the Debian package "chromium"), or set AIDEVOPS_CHROMIUM to a Chromium binary.`,
    );
  }
  return chromium.launch({ executablePath, headless: options.headless ?? true, args: [...CHROMIUM_ARGS], timeout: 60_000 });
}

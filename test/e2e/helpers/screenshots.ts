import path from 'node:path';
import { type Page } from 'playwright-core';
import { e2eResults } from './session';

let counter = 0;

/** Saves a numbered full-window screenshot under test-results/e2e/ and returns its path. */
export async function screenshot(page: Page, step: string): Promise<string> {
  counter += 1;
  const name = `${String(counter).padStart(2, '0')}-${step.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '')}.png`;
  const file = path.join(e2eResults, name);
  await page.screenshot({ path: file });
  return file;
}

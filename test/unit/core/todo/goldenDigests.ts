import { strict as assert } from 'node:assert';
import { createHash, type Hash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const FILE = path.join(__dirname, 'golden-digests.json');

/**
 * What the comment scanner, the TODO parser and the reference finder answered for seeded random
 * inputs, as digests per group (a language, a block of characters), recorded when their behaviour
 * last changed on purpose. A faster rewrite must give the same answers: a group whose digest
 * differs names where to look, and its seed reproduces the inputs. `UPDATE_GOLDEN=1` records the
 * current answers instead of checking them; do that only for an intended change of behaviour.
 */
export class GoldenDigests {
  private readonly hashes = new Map<string, Hash>();

  constructor(private readonly test: string) {}

  add(group: string, answer: unknown): void {
    let hash = this.hashes.get(group);
    if (hash === undefined) {
      hash = createHash('sha256');
      this.hashes.set(group, hash);
    }
    hash.update(JSON.stringify(answer) ?? 'undefined').update('\n');
  }

  check(): void {
    const actual = Object.fromEntries([...this.hashes].map(([group, hash]) => [group, hash.digest('hex').slice(0, 24)]));
    const recorded = (existsSync(FILE) ? JSON.parse(readFileSync(FILE, 'utf8')) : {}) as Record<string, Record<string, string>>;
    if (process.env.UPDATE_GOLDEN === '1') {
      recorded[this.test] = actual;
      writeFileSync(FILE, `${JSON.stringify(recorded, null, 2)}\n`);
      return;
    }
    const expected = recorded[this.test];
    assert.ok(expected !== undefined, `${path.basename(FILE)} has no digests for "${this.test}" (record them with UPDATE_GOLDEN=1)`);
    const differing = Object.keys({ ...expected, ...actual }).filter((group) => expected[group] !== actual[group]);
    assert.deepEqual(differing, [], `answers differ from the recorded ones for: ${differing.join(', ')}`);
  }
}

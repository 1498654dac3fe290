/** Deterministic generator (mulberry32), so a failing differential test reproduces from its seed. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `pieces` fragments picked at random and glued together. */
export function randomText(next: () => number, fragments: readonly string[], pieces: number): string {
  let text = '';
  for (let i = 0; i < pieces; i++) text += fragments[Math.floor(next() * fragments.length)]!;
  return text;
}

/**
 * Orders package versions of either ecosystem well enough to say which side of a fix a version is
 * on: numeric release segments compared as numbers (`5.4` < `5.10`, `2.20.0` = `2.20`), then a
 * pre-release (`1.0.0-beta`, `1.0rc1`, `1.0.dev3`) before its release and a post-release after.
 * Epochs and local versions (PEP 440 `1!2.0`, `+local`) are rare in lockfiles and compared as text.
 */
export function compareVersions(a: string, b: string): number {
  const pa = parse(a);
  const pb = parse(b);
  const n = Math.max(pa.release.length, pb.release.length);
  for (let i = 0; i < n; i++) {
    const d = (pa.release[i] ?? 0) - (pb.release[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  if (pa.rank !== pb.rank) return Math.sign(pa.rank - pb.rank);
  return pa.rest.localeCompare(pb.rest, 'en', { numeric: true });
}

function parse(v: string): { release: number[]; rank: number; rest: string } {
  const m = /^v?(\d+(?:\.\d+)*)(.*)$/i.exec(v.trim());
  if (!m) return { release: [], rank: 0, rest: v };
  const rest = m[2]!.toLowerCase();
  // dev < pre-release < release < post-release
  const rank = rest === '' || rest.startsWith('+') ? 2 : /^[-._]?(dev)/.test(rest) ? 0 : /^[-._]?(post|r\d|-\d)/.test(rest) ? 3 : 1;
  return { release: m[1]!.split('.').map(Number), rank, rest };
}

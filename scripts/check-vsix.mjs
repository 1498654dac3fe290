// The packaged .vsix must hold only what runs: bundles, icons, walkthrough pages, the manifest and docs.
// Lists the zip's central directory (no dependency: the format is simple and fixed).
import { readFileSync } from 'node:fs';

const file = process.argv[2];
if (!file) {
  console.error('usage: node scripts/check-vsix.mjs <file.vsix>');
  process.exit(2);
}
const zip = readFileSync(file);
const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
if (eocd < 0) throw new Error(`${file} is not a zip file`);
const count = zip.readUInt16LE(eocd + 10);
let offset = zip.readUInt32LE(eocd + 16);
const entries = [];
for (let i = 0; i < count; i++) {
  const nameLength = zip.readUInt16LE(offset + 28);
  const extra = zip.readUInt16LE(offset + 30);
  const comment = zip.readUInt16LE(offset + 32);
  const size = zip.readUInt32LE(offset + 24);
  entries.push({ name: zip.toString('utf8', offset + 46, offset + 46 + nameLength), size });
  offset += 46 + nameLength + extra + comment;
}

const allowed = [
  /^\[Content_Types\]\.xml$/,
  /^extension\.vsixmanifest$/,
  /^extension\/package\.json$/,
  /^extension\/(readme|changelog)\.md$/i,
  /^extension\/LICENSE(\.txt)?$/i,
  /^extension\/dist\/extension\.js$/,
  /^extension\/dist\/lazy\/[\w.-]+\.js$/,
  /^extension\/dist\/lazy\/github-schema\.graphql$/,
  /^extension\/dist\/webview\/[\w./-]+\.(js|css)$/,
  /^extension\/dist\/data\/[\w./-]+\.json$/,
  /^extension\/media\/[\w./-]+\.(svg|png|md)$/,
];
const unexpected = entries.filter((e) => !allowed.some((re) => re.test(e.name)));
const total = entries.reduce((n, e) => n + e.size, 0);
const largest = [...entries].sort((a, b) => b.size - a.size).slice(0, 8);
console.log(`${file}: ${entries.length} files, ${(total / 1024).toFixed(0)} KiB uncompressed, ${(zip.length / 1024).toFixed(0)} KiB packed`);
for (const e of largest) console.log(`  ${(e.size / 1024).toFixed(1).padStart(9)} KiB  ${e.name}`);
if (!entries.some((e) => e.name === 'extension/dist/extension.js')) {
  console.error('The .vsix has no dist/extension.js.');
  process.exit(1);
}
if (unexpected.length > 0) {
  console.error(`The .vsix holds files that do not run:\n  ${unexpected.map((e) => e.name).join('\n  ')}`);
  process.exit(1);
}
// A development build (inline source maps, not minified) is several times larger: it must never ship,
// e.g. when another `npm run build` rewrote dist/ while vsce was packaging.
const ACTIVATION_BUDGET_KIB = 1024;
const main = entries.find((e) => e.name === 'extension/dist/extension.js');
if (main && main.size > ACTIVATION_BUDGET_KIB * 1024) {
  console.error(`dist/extension.js is ${(main.size / 1024).toFixed(0)} KiB, over the ${ACTIVATION_BUDGET_KIB} KiB activation budget: is it a development build? Run npm run package again.`);
  process.exit(1);
}

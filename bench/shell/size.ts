// What a device downloads to work offline: every file the service worker precaches (the built app, static
// files, prerendered pages), raw and as the server sends it compressed (brotli, as adapter-node serves the
// precompressed files), with the largest chunks named. Files the service worker leaves out of the shell (the
// ICD-10 list, fetched on first need: app/service-worker.ts) are counted apart. Prints a table and writes
// bench-results/shell.json.
// Run after `npx vite build`: `npm run bench:shell`.
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { brotliCompressSync, constants } from 'node:zlib';

const client = 'build/client';
const prerendered = 'build/prerendered';

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? files(p) : /\.(gz|br)$/.test(e.name) ? [] : [p];
  });
}

/** Same pattern as `notInShell` in app/service-worker.ts. */
const notInShell = /\/icd10-official\.[^/]*\.json$/;
const all = [...files(client), ...(statSync(prerendered, { throwIfNoEntry: false }) ? files(prerendered) : [])];
const sized = all.map((file) => {
  const raw = readFileSync(file);
  // Images are sent as they are; text is brotli-compressed (precompressed .br next to it when the build made one).
  const compressible = /\.(js|css|html|json|svg|webmanifest|txt|ttf)$/.test(file);
  const br = compressible ? brotliCompressSync(raw, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length : raw.length;
  return { file: path.relative('build', file), raw: raw.length, sent: br };
});
const rows = sized.filter((r) => !notInShell.test(r.file));
const onFirstNeed = sized.filter((r) => notInShell.test(r.file));
const total = rows.reduce((a, r) => ({ raw: a.raw + r.raw, sent: a.sent + r.sent }), { raw: 0, sent: 0 });
const largest = [...rows].sort((a, b) => b.sent - a.sent).slice(0, 8);
const at64kbit = (bytes: number) => Math.round((bytes * 8) / 64_000);

console.log(`files precached: ${rows.length}`);
console.log(`total: ${total.raw.toLocaleString('en')} B raw, ${total.sent.toLocaleString('en')} B sent (≈ ${at64kbit(total.sent)} s at 64 kbit/s)`);
console.log('largest (sent):');
for (const r of largest) console.log(`  ${String(r.sent).padStart(9)} B  ${r.file}`);
console.log('not precached, fetched on first need (sent):');
for (const r of onFirstNeed) console.log(`  ${String(r.sent).padStart(9)} B  ${r.file} (${r.raw.toLocaleString('en')} B raw, ≈ ${at64kbit(r.sent)} s at 64 kbit/s)`);
const summary = { files: rows.length, rawBytes: total.raw, sentBytes: total.sent, secondsAt64kbit: at64kbit(total.sent), largest, onFirstNeed };
mkdirSync('bench-results', { recursive: true });
writeFileSync('bench-results/shell.json', JSON.stringify(summary, null, 2) + '\n');
console.log(JSON.stringify({ files: summary.files, rawBytes: summary.rawBytes, sentBytes: summary.sentBytes, secondsAt64kbit: summary.secondsAt64kbit }));

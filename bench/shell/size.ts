// What a device downloads to work offline: every file the service worker precaches (the built app, static
// files, prerendered pages), raw and as the server sends it compressed (brotli, as adapter-node serves the
// precompressed files), with the largest chunks named. Files the service worker leaves out of the shell (the
// ICD-10 list, fetched on first need: app/service-worker.ts) are counted apart. Prints a table and writes
// bench-results/shell.json.
// Then the first visit over 2G on a slow phone (bench/shell/first-visit.ts: the time to a usable login form and
// to "ready for offline use"), unless `--no-first-visit`.
// Run after `npx vite build`: `npm run bench:shell`.
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { brotliCompressSync, constants } from 'node:zlib';
import { conditions, measureFirstVisit, type FirstVisit } from './first-visit';

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
  // adapter-node sends the precompressed .br the build made beside a file, else the file as it is (it compresses
  // nothing on the fly: the fonts, for one, go out raw). Prerendered pages are compressed by the build too.
  const precompressed = statSync(`${file}.br`, { throwIfNoEntry: false });
  const compressible = /\.(js|css|html|json|svg|webmanifest|txt)$/.test(file);
  const br = precompressed ? precompressed.size : compressible && file.startsWith(prerendered) ? brotliCompressSync(raw, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length : raw.length;
  return { file: path.relative('build', file), raw: raw.length, sent: br };
});
// The signing code's chunks (vite.config.ts, onlineOnlyChunks), which the service worker does not precache either.
const onlineOnly = new Set<string>(JSON.parse(readFileSync('.svelte-kit/online-only-chunks.json', 'utf8')) as string[]);
const outside = (file: string) => notInShell.test(file) || onlineOnly.has(path.relative('client', file));
const rows = sized.filter((r) => !outside(r.file));
const onFirstNeed = sized.filter((r) => outside(r.file));
const total = rows.reduce((a, r) => ({ raw: a.raw + r.raw, sent: a.sent + r.sent }), { raw: 0, sent: 0 });
const largest = [...rows].sort((a, b) => b.sent - a.sent).slice(0, 8);
const at64kbit = (bytes: number) => Math.round((bytes * 8) / 64_000);

console.log(`files precached: ${rows.length}`);
console.log(`total: ${total.raw.toLocaleString('en')} B raw, ${total.sent.toLocaleString('en')} B sent (≈ ${at64kbit(total.sent)} s at 64 kbit/s)`);
console.log('largest (sent):');
for (const r of largest) console.log(`  ${String(r.sent).padStart(9)} B  ${r.file}`);
console.log('not precached, fetched on first need (sent):');
for (const r of onFirstNeed) console.log(`  ${String(r.sent).padStart(9)} B  ${r.file} (${r.raw.toLocaleString('en')} B raw, ≈ ${at64kbit(r.sent)} s at 64 kbit/s)`);
const fonts = Object.fromEntries(rows.filter((r) => r.file.startsWith('client/fonts/') && r.file.endsWith('.ttf')).map((r) => [path.basename(r.file), { raw: r.raw, sent: r.sent }]));
console.log('PDF fonts (raw / sent):');
for (const [name, f] of Object.entries(fonts)) console.log(`  ${String(f.raw).padStart(9)} B / ${String(f.sent).padStart(7)} B  ${name}`);

let firstVisit: (Omit<FirstVisit, 'requests'> & { conditions: typeof conditions; targetLoginMs: number }) | undefined;
if (!process.argv.includes('--no-first-visit')) {
  console.log(`first visit: 64 kbit/s each way, 300 ms RTT, CPU 4× slower (Chromium, CDP), fresh profile`);
  const { requests, ...visit } = await measureFirstVisit(path.resolve('build'), (s) => console.log(`  ${s}`));
  const show = (ms: number | null) => (ms === null ? 'not reached' : `${ms.toLocaleString('en')} ms`);
  console.log(`  first contentful paint: ${show(visit.firstPaintMs)}`);
  console.log(`  login form usable:      ${show(visit.loginMs)} (target ≤ 5,000 ms)`);
  console.log(`  login can be sent:      ${show(visit.loginReadyMs)} (the app running)`);
  console.log(`  service worker active:  ${show(visit.swReadyMs)}`);
  console.log(`  offline-ready shown:    ${show(visit.offlineReadyMs)}`);
  console.log(`  received: ${visit.pageBytes.toLocaleString('en')} B in ${requests.length} requests; until the login form:`);
  for (const r of requests.filter((r) => visit.loginMs === null || r.atMs <= visit.loginMs)) console.log(`    ${String(r.atMs).padStart(6)} ms ${String(r.bytes).padStart(7)} B  ${r.url}`);
  firstVisit = { ...visit, conditions, targetLoginMs: 5_000 };
}

const summary = { files: rows.length, rawBytes: total.raw, sentBytes: total.sent, secondsAt64kbit: at64kbit(total.sent), fonts, largest, onFirstNeed, firstVisit };
mkdirSync('bench-results', { recursive: true });
writeFileSync('bench-results/shell.json', JSON.stringify(summary, null, 2) + '\n');
console.log(
  JSON.stringify({
    files: summary.files,
    rawBytes: summary.rawBytes,
    sentBytes: summary.sentBytes,
    secondsAt64kbit: summary.secondsAt64kbit,
    fontsSentBytes: Object.values(fonts).reduce((a, f) => a + f.sent, 0),
    ...(firstVisit && {
      'firstVisit.firstPaintMs': firstVisit.firstPaintMs,
      'firstVisit.loginMs': firstVisit.loginMs,
      'firstVisit.loginReadyMs': firstVisit.loginReadyMs,
      'firstVisit.swReadyMs': firstVisit.swReadyMs,
      'firstVisit.offlineReadyMs': firstVisit.offlineReadyMs
    })
  })
);

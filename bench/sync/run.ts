// `npm run bench:sync`: the sync benchmark. Needs root (network namespaces and tc). Prints a table and writes
// bench-results/sync.json; BENCHMARKS.md records the results.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { generateCommune } from './generate';
import { setUpLink, tearDownLink } from './link';
import { repoRoot } from './processes';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { runOurs, seed } from './ours';
import { runStock } from './stock';
import { runServerLoad } from './server-load';
import { runBrowserClient } from './client-browser';

const only = process.argv.find((a) => a.startsWith('--only='))?.slice(7).split(',');
const wants = (part: string) => !only || only.includes(part);
const log = (s: string) => process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] ${s}\n`);

if (process.getuid?.() !== 0) {
  console.error('bench:sync needs root: it creates a network namespace and shapes it with tc.');
  process.exit(1);
}

const results: Record<string, number | boolean | string> = {};
const put = (prefix: string, values: Record<string, number | boolean>) => {
  for (const [k, v] of Object.entries(values)) results[`${prefix}.${k}`] = typeof v === 'number' ? Math.round(v * 1000) / 1000 : v;
};

const commune = generateCommune();
const json = Buffer.from(JSON.stringify({ patients: commune.patients, forms: commune.forms }));
put('data', { patients: commune.patients.length, forms: commune.forms.length, jsonBytes: json.length, deflatedBytes: zlib.deflateRawSync(json).length });
log(`commune: ${commune.patients.length} patients, ${commune.forms.length} forms, ${json.length} B JSON`);

setUpLink();
try {
  if (wants('ours')) {
    const ours = await runOurs(commune, log);
    put('initial', ours.initial);
    put('day', ours.day);
    put('idle', ours.idle);
  }
  if (wants('stock')) {
    const stock = await runStock(commune, log);
    put('stock.initial', stock.initial);
    put('stock.day', stock.day);
    put('stock.idle', stock.idle);
  }
} finally {
  tearDownLink();
}
if (wants('server')) put('server', await runServerLoad(log));
if (wants('client')) {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'thbench-client-'));
  await seed(dataDir, commune);
  put('client', await runBrowserClient(dataDir, commune.patients.length + commune.forms.length, log));
}

const out = path.join(repoRoot, 'bench-results');
mkdirSync(out, { recursive: true });
const file = path.join(out, 'sync.json');
// A partial run (--only) updates its own keys in the last results and keeps the others.
const previous: Record<string, number | boolean | string> = only && existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
Object.assign(previous, results);
Object.assign(results, previous);
writeFileSync(file, JSON.stringify(results, null, 2) + '\n');

const num = (k: string) => results[k];
const row = (label: string, key: string, unit = '') => {
  const ours = num(key);
  const stock = num(`stock.${key}`);
  const ratio = typeof ours === 'number' && typeof stock === 'number' && stock > 0 ? (ours / stock).toFixed(2) : '';
  console.log(`${label.padEnd(34)} ${String(ours ?? '').padStart(12)} ${String(stock ?? '').padStart(12)} ${ratio.padStart(8)}  ${unit}`);
};
console.log(`\n${'measurement'.padEnd(34)} ${'this project'.padStart(12)} ${'stock'.padStart(12)} ${'ratio'.padStart(8)}`);
row('initial: bytes on the wire', 'initial.bytes', 'B');
row('initial: seconds', 'initial.seconds', 's');
row('initial: completed', 'initial.completed');
row('day offline: up', 'day.upBytes', 'B');
row('day offline: down', 'day.downBytes', 'B');
row('day offline: seconds', 'day.seconds', 's');
row('idle reconnect: bytes', 'idle.bytes', 'B');
row('idle reconnect: round trips', 'idle.roundTrips');
row('server: RSS, 1,000 idle devices', 'server.idleRssMB', 'MB');
row('server: 300 × 80 burst acknowledged', 'server.burstSeconds', 's');
row('client: offline cold start', 'client.coldStartMs', 'ms');
row('client: name search (median)', 'client.searchMs', 'ms');
row('client: IndexedDB per 1,000 records', 'client.bytesPer1000', 'B');
console.log(`\nJSON summary (${path.relative(repoRoot, file)}):`);
console.log(JSON.stringify(results));
// Everything the run opened is closed by now, so the process ends here. Should something be left open again,
// say what (this timer is unref'd: it keeps nothing alive itself).
setTimeout(() => log(`still running 30 s after the results; open: ${JSON.stringify(process.getActiveResourcesInfo())}`), 30_000).unref();

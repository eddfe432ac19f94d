// How fast the device loads and searches the ICD-10 list of circular 06/2026 (15,844 codes): parse the shipped
// file as the app fetches it, build the index, then time searches as typed in the picker (a prefix per keystroke)
// by code, by Vietnamese with and without diacritics, and by English. Prints median, 95th percentile and worst
// per kind of query. Run: `npx tsx bench/catalogs/icd10-search.ts` (the target: ≤ 50 ms a search on a station PC).
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { Icd10Catalog, icd10FromTable, type Icd10Table } from '@telehealth/catalogs';

const file = new URL('../../packages/catalogs/data/icd10-official.json', import.meta.url);
const text = readFileSync(file, 'utf8');
/** CPU time of this process (not wall time): the machine may be shared, and waiting for a core is not our cost. */
const cpu = <T>(f: () => T): [T, number] => {
  const c0 = process.cpuUsage();
  const value = f();
  const c = process.cpuUsage(c0);
  return [value, (c.user + c.system) / 1000];
};

// Loading, as on the first use of the picker (cold: the first run, not the best of several).
const [table, parseMs] = cpu(() => JSON.parse(text) as Icd10Table);
const [entries, decodeMs] = cpu(() => icd10FromTable(table));
const [catalog, mapMs] = cpu(() => new Icd10Catalog(entries));
// The search index: the app builds it when idle after loading (prepareSearch), before anyone types.
const [, indexMs] = cpu(() => catalog.prepareSearch());

/** Every prefix of each query, as the picker searches on each keystroke. */
const typing = (queries: string[]) => queries.flatMap((q) => Array.from({ length: q.length }, (_, i) => q.slice(0, i + 1)));
const kinds: Record<string, string[]> = {
  code: typing(['J06.9', 'I10', 'E11.9', 'M00.09', 'Z34.0', 'k29', 'a090']),
  'Vietnamese, diacritics': typing(['tăng huyết áp', 'viêm phổi', 'đái tháo đường típ 2', 'viêm họng cấp', 'sốt xuất huyết dengue', 'gãy xương cẳng tay']),
  'Vietnamese, no diacritics': typing(['tang huyet ap', 'viem phoi', 'dai thao duong tip 2', 'viem hong cap', 'sot xuat huyet dengue', 'gay xuong cang tay']),
  English: typing(['hypertension', 'pneumonia', 'diabetes mellitus', 'acute pharyngitis']),
  'no match': typing(['khong co benh nao nhu the nay', 'zzzz'])
};

console.log(`${os.cpus()[0]?.model ?? 'cpu'} × ${os.cpus().length}, Node ${process.version}`);
console.log(`load, CPU time: JSON.parse ${parseMs.toFixed(1)} ms, decode ${decodeMs.toFixed(1)} ms, catalog ${mapMs.toFixed(1)} ms, search index ${indexMs.toFixed(1)} ms (${catalog.entries.length} codes, ${text.length.toLocaleString('en')} characters)`);
// One warm-up pass (the JIT), then five passes, each search timed in CPU time (process.cpuUsage, 1 µs resolution).
for (const queries of Object.values(kinds)) for (const q of queries) catalog.search(q, 8);
const results: Record<string, { searches: number; medianMs: number; p95Ms: number; maxMs: number }> = {};
for (const [kind, queries] of Object.entries(kinds)) {
  const ms: number[] = [];
  for (let pass = 0; pass < 5; pass++) for (const q of queries) ms.push(cpu(() => catalog.search(q, 8))[1]);
  ms.sort((a, b) => a - b);
  const at = (p: number) => ms[Math.min(ms.length - 1, Math.floor(p * ms.length))]!;
  results[kind] = { searches: ms.length, medianMs: +at(0.5).toFixed(2), p95Ms: +at(0.95).toFixed(2), maxMs: +ms[ms.length - 1]!.toFixed(2) };
  console.log(`${kind.padEnd(26)} ${String(ms.length).padStart(4)} searches: median ${at(0.5).toFixed(2)} ms, p95 ${at(0.95).toFixed(2)} ms, worst ${ms[ms.length - 1]!.toFixed(2)} ms`);
}
const [, checkMs] = cpu(() => {
  for (const e of catalog.entries) catalog.check(e.code, 'main', 'female');
});
console.log(`check() of all ${catalog.entries.length} codes: ${checkMs.toFixed(1)} ms`);
console.log(JSON.stringify({ parseMs: +parseMs.toFixed(1), decodeMs: +decodeMs.toFixed(1), catalogMs: +mapMs.toFixed(1), indexMs: +indexMs.toFixed(1), results }));

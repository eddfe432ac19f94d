// The catalog import command: reads an official list, reports rows read, accepted and rejected (with the
// reason for each), and writes the catalog the product ships.
//   npm run catalog:import -- [--communes <file.csv>] [--pre2025 <file.csv>] [--conversion <file.csv>] [--icd10 <file.csv>] [--out packages/catalogs/data]
// A list with any bad row changes nothing: every rejected row is printed with its line and reason.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseCsv } from '../csv';
import { communeTableEffectiveFrom, readCommuneTable, type ImportReport } from '../communes';
import { icd10TableFlags, icd10TableRows, readIcd10Table, type Icd10Entry, type Icd10Table } from '../icd10';
import { oldUnitsCatalog, readPre2025Table, type OldCommuneRow } from '../old-districts';
import { conversionCatalog, readConversionTable, type ConversionRow } from '../conversion';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const out = arg('out') ?? path.join(import.meta.dirname, '..', 'data');
type List = { option: string; read: (rows: string[][]) => ImportReport<unknown>; files: (rows: unknown[], source: string) => Record<string, object> };
const lists: List[] = [
  { option: 'communes', read: readCommuneTable, files: (rows, source) => ({ 'communes-2025.json': { effectiveFrom: communeTableEffectiveFrom, communes: rows, source } }) },
  { option: 'icd10', read: readIcd10Table, files: (rows, source) => icd10Files(rows as Icd10Entry[], source) },
  { option: 'pre2025', read: readPre2025Table, files: (rows, source) => ({ 'units-before-2025.json': { ...oldUnitsCatalog(rows as OldCommuneRow[]), source } }) },
  {
    option: 'conversion',
    // Checked against the commune table in force: the one shipped, or the one imported in the same run.
    read: (rows) => readConversionTable(rows, newCommuneCodes()),
    files: (rows, source) => ({ 'commune-conversion.json': { ...conversionCatalog(rows as ConversionRow[]), source } })
  }
];

/**
 * ICD-10 ships compact (an array per code, flags as bits: see `Icd10Table`), with a version that is a digest of
 * the codes; the version and count also go to a small file of their own, which the app shell carries.
 */
function icd10Files(entries: Icd10Entry[], source: string): Record<string, object> {
  const codes = icd10TableRows(entries);
  const version = createHash('sha256').update(JSON.stringify(codes)).digest('hex').slice(0, 16);
  const table: Icd10Table = { effectiveFrom: '2026-07-01', source, version, flags: icd10TableFlags, codes };
  return { 'icd10-official.json': table, 'icd10-official.meta.json': { effectiveFrom: table.effectiveFrom, version, count: codes.length } };
}

/** Compact JSON; an ICD-10 table with one code a line, so that the diff of a new list shows the codes that changed. */
function compactJson(content: object): string {
  if (!('codes' in content && Array.isArray(content.codes))) return JSON.stringify(content);
  const { codes, ...head } = content;
  return `${JSON.stringify(head).slice(0, -1)},"codes":[\n${codes.map((c) => JSON.stringify(c)).join(',\n')}\n]}`;
}

function newCommuneCodes(): Set<string> {
  const table = JSON.parse(readFileSync(path.join(out, 'communes-2025.json'), 'utf8')) as { communes: { code: string }[] };
  return new Set(table.communes.map((c) => c.code));
}

const chosen = lists.filter((l) => arg(l.option));
if (chosen.length === 0) {
  console.error('usage: npm run catalog:import -- [--communes <file.csv>] [--pre2025 <file.csv>] [--conversion <file.csv>] [--icd10 <file.csv>] [--out <folder>]');
  process.exit(2);
}
let failed = false;
for (const list of chosen) {
  const file = arg(list.option)!;
  const report = list.read(parseCsv(readFileSync(file, 'utf8')));
  console.log(`${list.option}: ${report.read} rows read, ${report.accepted.length} accepted, ${report.rejected.length} rejected`);
  for (const r of report.rejected.slice(0, 50)) console.log(`  line ${r.line}: ${r.reason}`);
  if (report.rejected.length > 50) console.log(`  … and ${report.rejected.length - 50} more`);
  if (report.rejected.length > 0 || report.accepted.length === 0) {
    console.error(`${list.option}: the catalog is left as it was`);
    failed = true;
    continue;
  }
  for (const [name, content] of Object.entries(list.files(report.accepted, path.basename(file)))) {
    const target = path.join(out, name);
    writeFileSync(target, compactJson(content) + '\n');
    console.log(`wrote ${target}`);
  }
}
process.exit(failed ? 1 : 0);

// The catalog import command: reads an official list, reports rows read, accepted and rejected (with the
// reason for each), and writes the catalog the product ships.
//   npm run catalog:import -- [--communes <file.csv>] [--pre2025 <file.csv>] [--conversion <file.csv>] [--icd10 <file.csv>] [--out packages/catalogs/data]
// A list with any bad row changes nothing: every rejected row is printed with its line and reason.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseCsv } from '../csv';
import { communeTableEffectiveFrom, readCommuneTable, type ImportReport } from '../communes';
import { readIcd10Table } from '../icd10';
import { oldUnitsCatalog, readPre2025Table, type OldCommuneRow } from '../old-districts';
import { conversionCatalog, readConversionTable, type ConversionRow } from '../conversion';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const out = arg('out') ?? path.join(import.meta.dirname, '..', 'data');
const lists = [
  { option: 'communes', target: 'communes-2025.json', read: readCommuneTable, wrap: (rows: unknown[]) => ({ effectiveFrom: communeTableEffectiveFrom, communes: rows }) },
  { option: 'icd10', target: 'icd10-official.json', read: readIcd10Table, wrap: (rows: unknown[]) => ({ effectiveFrom: '2026-07-01', codes: rows }) },
  { option: 'pre2025', target: 'units-before-2025.json', read: readPre2025Table, wrap: (rows: unknown[]) => oldUnitsCatalog(rows as OldCommuneRow[]) },
  {
    option: 'conversion',
    target: 'commune-conversion.json',
    // Checked against the commune table in force: the one shipped, or the one imported in the same run.
    read: (rows: string[][]) => readConversionTable(rows, newCommuneCodes()),
    wrap: (rows: unknown[]) => conversionCatalog(rows as ConversionRow[])
  }
] as const;

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
  const report: ImportReport<unknown> = list.read(parseCsv(readFileSync(file, 'utf8')));
  console.log(`${list.option}: ${report.read} rows read, ${report.accepted.length} accepted, ${report.rejected.length} rejected`);
  for (const r of report.rejected.slice(0, 50)) console.log(`  line ${r.line}: ${r.reason}`);
  if (report.rejected.length > 50) console.log(`  … and ${report.rejected.length - 50} more`);
  if (report.rejected.length > 0 || report.accepted.length === 0) {
    console.error(`${list.option}: the catalog is left as it was`);
    failed = true;
    continue;
  }
  const target = path.join(out, list.target);
  writeFileSync(target, JSON.stringify({ ...list.wrap(report.accepted), source: path.basename(file) }) + '\n');
  console.log(`wrote ${target}`);
}
process.exit(failed ? 1 : 0);

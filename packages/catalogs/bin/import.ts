// The catalog import command: reads an official list, reports rows read, accepted and rejected (with the
// reason for each), and writes the catalog the product ships.
//   npm run catalog:import -- --communes <file.csv> [--out packages/catalogs/data]
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseCsv } from '../csv';
import { communeTableEffectiveFrom, readCommuneTable } from '../communes';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const communesFile = arg('communes');
const out = arg('out') ?? path.join(import.meta.dirname, '..', 'data');
if (!communesFile) {
  console.error('usage: npm run catalog:import -- --communes <file.csv> [--out <folder>]');
  process.exit(2);
}

const report = readCommuneTable(parseCsv(readFileSync(communesFile, 'utf8')));
console.log(`communes: ${report.read} rows read, ${report.accepted.length} accepted, ${report.rejected.length} rejected`);
for (const r of report.rejected.slice(0, 50)) console.log(`  line ${r.line}: ${r.reason}`);
if (report.rejected.length > 50) console.log(`  … and ${report.rejected.length - 50} more`);
if (report.rejected.length > 0 || report.accepted.length === 0) {
  // A list with bad rows changes nothing: fix the file (or the reader) and import again.
  console.error('the catalog is left as it was');
  process.exit(1);
}
const target = path.join(out, 'communes-2025.json');
writeFileSync(target, JSON.stringify({ effectiveFrom: communeTableEffectiveFrom, source: path.basename(communesFile), communes: report.accepted }) + '\n');
console.log(`wrote ${target}`);

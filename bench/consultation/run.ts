// `npm run bench:consultation` (issue 11's targets): the minutes co-edited over a 2G link, and the parts of the
// consultation's record measured by their own modules. Prints each part and writes bench-results/consultation.json.
// Needs root for the link (network namespaces); `--only=minutes`, `--only=sign` (signing in Chromium) or `--only=rx`
// (codes and drug search) runs one part.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { runCodesBench } from './codes';
import { runDrugsBench, runDrugsBenchInChromium } from './drugs';
import { runMinutesBench } from './minutes';
import { runSignBench } from './sign';

const root = path.resolve(import.meta.dirname, '../..');
const only = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length).split(',');
const wanted = (part: string) => !only || only.includes(part);
const log = (s: string) => console.log(`[bench:consultation] ${s}`);

// The parts not run keep their numbers from the last run.
const file = path.join(root, 'bench-results/consultation.json');
const summary = (existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {}) as Record<string, unknown>;
if (wanted('minutes')) summary.minutes = await runMinutesBench(log);
if (wanted('sign')) summary.sign = await runSignBench(log);
if (wanted('rx')) summary.rx = { ...runCodesBench(log), ...runDrugsBench(log), ...(await runDrugsBenchInChromium(log)) };

console.log(JSON.stringify(summary, null, 2));
mkdirSync(path.join(root, 'bench-results'), { recursive: true });
writeFileSync(file, JSON.stringify(summary, null, 2) + '\n');
process.exit(0);

// `npm run bench:consultation` (issue 11's targets): the minutes co-edited over a 2G link, and the parts of the
// consultation's record measured by their own modules. Prints each part and writes bench-results/consultation.json.
// Needs root for the link (network namespaces); `--only=minutes` runs one part.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { runMinutesBench } from './minutes';

const root = path.resolve(import.meta.dirname, '../..');
const only = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length).split(',');
const wanted = (part: string) => !only || only.includes(part);
const log = (s: string) => console.log(`[bench:consultation] ${s}`);

const summary: Record<string, unknown> = {};
if (wanted('minutes')) summary.minutes = await runMinutesBench(log);

console.log(JSON.stringify(summary, null, 2));
mkdirSync(path.join(root, 'bench-results'), { recursive: true });
writeFileSync(path.join(root, 'bench-results/consultation.json'), JSON.stringify(summary, null, 2) + '\n');
process.exit(0);

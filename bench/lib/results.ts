// A results file written by several benchmarks (interop.json: backup, FHIR, reminders; reports.json: server, device):
// each replaces its own part and keeps the others.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');

export function writeResultPart(file: string, name: string, part: Record<string, unknown>) {
  const out = path.join(root, 'bench-results', file);
  mkdirSync(path.dirname(out), { recursive: true });
  let results: Record<string, unknown> = {};
  try {
    results = JSON.parse(readFileSync(out, 'utf8')) as Record<string, unknown>;
  } catch {
    // No results yet: this run writes the first.
  }
  writeFileSync(out, JSON.stringify({ ...results, [name]: part }, null, 2) + '\n');
  console.log(`wrote ${path.relative(root, out)} (${name})`);
}

export const writeInteropPart = (name: string, part: Record<string, unknown>) => writeResultPart('interop.json', name, part);

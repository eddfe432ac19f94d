// ARCHITECTURE.md specifies the records precisely enough to write a client from it: this keeps its record layouts
// (roots, types, bounds, sizes) and its field lists (every field, required or not) equal to the code.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { docLayouts, type RootLayout } from './layouts';
import { recordSchemas } from './rebase';
import { teleconsultationFormSchema } from './records';
import type { Schema } from './schema';

const doc = readFileSync(new URL('../../ARCHITECTURE.md', import.meta.url), 'utf8');

/** The text of a `###` section, up to the next heading. */
function section(title: string): string {
  const start = doc.indexOf(`\n### ${title}\n`);
  if (start < 0) throw new Error(`ARCHITECTURE.md has no section "${title}"`);
  const rest = doc.slice(start + title.length + 6);
  const end = rest.search(/\n#{2,3} /);
  return end < 0 ? rest : rest.slice(0, end);
}

/** Fields listed in `;`-separated items: the first backticked name of each item, bold when required; *group* expands. */
function listedFields(items: string, groups: Map<string, Map<string, boolean>>): Map<string, boolean> {
  const fields = new Map<string, boolean>();
  for (const item of items.split(/;\s+/)) {
    const group = /^\*(\w+)\*/.exec(item.trim());
    if (group) {
      for (const [k, v] of groups.get(group[1]!) ?? new Map()) fields.set(k, v);
      continue;
    }
    const field = /^(\*\*)?`(\w+)`/.exec(item.trim());
    if (field) fields.set(field[2]!, Boolean(field[1]));
  }
  return fields;
}

const required = (schema: Schema) => new Map(Object.entries(schema).map(([k, spec]) => [k, Boolean(spec.required)]));

const sizeText = (bytes: number) => (bytes % (1024 * 1024) === 0 ? `${bytes / (1024 * 1024)} MiB` : `${bytes / 1024} KiB`);

describe('ARCHITECTURE.md', () => {
  it('lists every field of every record, and which are required, as the schemas have them', () => {
    const text = section('Record fields');
    const groups = new Map<string, Map<string, boolean>>();
    for (const m of text.matchAll(/^- \*(\w+)\*: ([\s\S]*?)\.\n(?=- \*|\n)/gm)) groups.set(m[1]!, listedFields(m[2]!.replace(/\n\s+/g, ' '), groups));
    expect([...groups.keys()]).toEqual(['audit', 'vitals', 'case']);
    const rows = new Map([...text.matchAll(/^\| (\w+) \([^)]*`[^)]*\) \| (.*) \|$/gm)].map((m) => [m[1]!, listedFields(m[2]!, groups)]));
    const schemas: Record<string, Schema> = { ...recordSchemas, form: teleconsultationFormSchema };
    expect([...rows.keys()].sort()).toEqual(Object.keys(schemas).sort());
    for (const [name, schema] of Object.entries(schemas)) expect(Object.fromEntries(rows.get(name)!), name).toEqual(Object.fromEntries(required(schema)));
  });

  it('gives every document kind its roots, root types, count bounds and size bound as layouts.ts has them', () => {
    const text = section('Record layouts and limits');
    // The rows of its table: | kind | size bound | root | type | holds | count bound and rules |, kind and size on a kind's first row.
    const rows = text
      .split('\n')
      .filter((line) => /^\| (`\w+`)? *\| [^|]*\| `\w+` \|/.test(line))
      .map((line) => line.slice(1, -1).split(/(?<!\\)\|/).map((cell) => cell.trim()));
    let kind = '';
    const seen: Record<string, { size: string; roots: Record<string, { type: string; bound: string }> }> = {};
    for (const [k, size, root, type, , bound] of rows) {
      if (k) kind = k.slice(1, -1);
      seen[kind] ??= { size: size!, roots: {} };
      seen[kind]!.roots[root!.slice(1, -1)] = { type: type!, bound: bound! };
    }
    const boundOf = (r: RootLayout) => (r.type === 'records' || r.type === 'values' ? r.maxEntries : r.type === 'log' ? r.maxItems : undefined);
    for (const [kind, layout] of Object.entries(docLayouts)) {
      expect(seen[kind], kind).toBeDefined();
      expect(seen[kind]!.size, kind).toBe(sizeText(layout.maxBytes));
      expect(Object.keys(seen[kind]!.roots).sort(), kind).toEqual(Object.keys(layout.roots).sort());
      for (const [name, root] of Object.entries(layout.roots)) {
        expect(seen[kind]!.roots[name]!.type, `${kind}.${name}`).toBe(root.type);
        const bound = boundOf(root);
        if (bound !== undefined) expect(seen[kind]!.roots[name]!.bound.startsWith(`${bound.toLocaleString('en-US')} `), `${kind}.${name}`).toBe(true);
      }
    }
  });
});

// Run with tsx (it reads the TypeScript catalog). The i18n check: no text a user sees is written into a component; it all comes from the catalog,
// and every catalog entry has both its Vietnamese and its English text.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'svelte/compiler';

const root = path.dirname(path.dirname(new URL(import.meta.url).pathname));
// `value` is left out: on <option> it is a code, not text; the option's text is checked.
const visibleAttributes = new Set(['title', 'alt', 'placeholder', 'aria-label', 'aria-description', 'label']);
const letters = /\p{L}/u;
const problems = [];

function walkFiles(dir, out = []) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walkFiles(p, out);
    else if (e.name.endsWith('.svelte')) out.push(p);
  }
  return out;
}

function visit(node, file, source) {
  if (!node || typeof node !== 'object') return;
  if (Array.isArray(node)) return node.forEach((n) => visit(n, file, source));
  const line = () => source.slice(0, node.start).split('\n').length;
  if (node.type === 'Text' && letters.test(node.data)) {
    problems.push(`${file}:${line()}: text "${node.data.trim().slice(0, 40)}" is not from the i18n catalog`);
  }
  if (node.type === 'Attribute') {
    // Only some attributes are read by people (or screen readers); class names and ids are not.
    if (!visibleAttributes.has(node.name) || !Array.isArray(node.value)) return;
    for (const part of node.value) {
      if (part.type === 'Text' && letters.test(part.data)) problems.push(`${file}:${line()}: attribute ${node.name}="${part.data}" is not from the i18n catalog`);
    }
    return;
  }
  // <style> and <script> contents are not user-visible text.
  if (node.type === 'Style' || node.type === 'Script') return;
  for (const [key, value] of Object.entries(node)) {
    if (key === 'parent' || key === 'instance' || key === 'module' || key === 'css') continue;
    if (value && typeof value === 'object') visit(value, file, source);
  }
}

for (const file of walkFiles(path.join(root, 'app'))) {
  const source = readFileSync(file, 'utf8');
  const ast = parse(source, { modern: true });
  visit(ast.fragment, path.relative(root, file), source);
}

const { messages } = await import(path.join(root, 'app/lib/i18n/catalog.ts'));
{
  for (const [key, entry] of Object.entries(messages)) {
    if (!entry.vi?.trim() || !entry.en?.trim()) problems.push(`catalog: "${key}" needs both Vietnamese and English text`);
  }
}

if (problems.length) {
  console.error(problems.join('\n'));
  process.exit(1);
}
console.log('i18n: every visible text comes from the catalog, in Vietnamese and English');

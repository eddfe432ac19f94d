// The import graph check: no import cycles anywhere, and dependencies point inward (the domain, protocol and
// catalog packages import no framework, server library, database client or DOM; route components import no device
// storage and write no record fields).
import { readdirSync, readFileSync, existsSync, statSync } from 'node:fs';
import path from 'node:path';

const root = path.dirname(path.dirname(new URL(import.meta.url).pathname));
const roots = ['app', 'packages', 'sync-server', 'sfu', 'e2e', 'scripts', 'bench'];
const skip = new Set(['node_modules', 'build', '.svelte-kit']);
const exts = ['.ts', '.svelte.ts', '.svelte', '.js', '.mjs'];

function walk(dir, out = []) {
  if (!existsSync(dir)) return out;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (skip.has(e.name)) continue;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else if (/\.(ts|svelte|js|mjs)$/.test(e.name) && !e.name.endsWith('.d.ts') && !e.name.endsWith('.d.mts')) out.push(p);
  }
  return out;
}

const packages = new Map(
  readdirSync(path.join(root, 'packages')).map((name) => [`@telehealth/${name}`, path.join(root, 'packages', name, 'index.ts')])
);
packages.set('@telehealth/sync-server', path.join(root, 'sync-server/src/index.ts'));

function resolve(from, spec) {
  let base;
  if (spec.startsWith('.')) base = path.resolve(path.dirname(from), spec);
  else if (spec === '$lib' || spec.startsWith('$lib/')) base = path.join(root, 'app/lib', spec.slice(4));
  else if (packages.has(spec)) return packages.get(spec);
  else return undefined;
  for (const candidate of [base, ...exts.map((e) => base + e), path.join(base, 'index.ts')]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return undefined;
}

const importRe = /(?:^|\n)\s*(?:import|export)\s(?:[^'"]*?\sfrom\s)?['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;
const files = roots.flatMap((r) => walk(path.join(root, r)));
const graph = new Map();
const problems = [];

/** A sub-path a workspace package declares in its exports (e.g. the catalogs' small device entry). */
function declaredEntry(spec) {
  const [scope, name, ...rest] = spec.split('/');
  try {
    const pkg = JSON.parse(readFileSync(path.join(root, 'packages', name, 'package.json'), 'utf8'));
    return Object.hasOwn(pkg.exports ?? {}, `./${rest.join('/')}`) && scope === '@telehealth';
  } catch {
    return false;
  }
}

/**
 * Route components compose feature modules (app/lib/records/, app/lib/sync/): they never reach the device storage
 * (the sync engine, its store and database, Dexie, y-indexeddb) nor write record fields themselves (`writeFields`);
 * the feature module that owns a record does (CONTRIBUTING.md, "Adding a record kind").
 */
const routesDir = 'app/routes/';
const storageModules = ['engine', 'local-store', 'local-db'].map((m) => path.join(root, 'app/lib/sync', `${m}.ts`));
const forbiddenInRoutes = /^(dexie|y-indexeddb)(\/|$)/;
const routeAdvice = 'routes compose feature modules: move this into app/lib/records/ (or app/lib/sync/)';
/** The names of every `import { a, b as c } from '…'` and `export { … } from '…'` in a source. */
const namedImportRe = /(?:^|\n)\s*(?:import|export)\s+(?:type\s+)?(?:[\w$]+\s*,\s*)?\{([^}]*)\}\s*from\s*['"][^'"]+['"]/g;
function routeImportProblems(rel, file, spec) {
  const out = [];
  const target = resolve(file, spec);
  if (forbiddenInRoutes.test(spec) || (target && storageModules.includes(target))) out.push(`${rel}: a route must not import "${spec}" (the device storage); ${routeAdvice}`);
  return out;
}
function routeWriteProblems(rel, source) {
  const out = [];
  for (const m of source.matchAll(namedImportRe)) {
    const names = m[1].split(',').map((n) => n.trim().replace(/^type\s+/, '').split(/\s+as\s+/)[0]);
    if (names.includes('writeFields')) out.push(`${rel}: a route must not import writeFields (it writes record fields); ${routeAdvice}`);
  }
  if (/\.\s*writeFields\b/.test(source)) out.push(`${rel}: a route must not call writeFields (it writes record fields); ${routeAdvice}`);
  if (/\bsync\.engine\b/.test(source)) out.push(`${rel}: a route must not use sync.engine (the device storage); ${routeAdvice}`);
  return out;
}

/** Packages that must stay free of I/O and frameworks, and what they may not import. */
const pure = ['packages/domain/', 'packages/protocol/', 'packages/catalogs/', 'packages/fhir/'];
const forbiddenInPure = /^(svelte|@sveltejs\/|\$app\/|hono|@hono\/|postgres|ws|@electric-sql\/|dexie|y-indexeddb|node:(?!test))/;

for (const file of files) {
  const source = readFileSync(file, 'utf8');
  const rel = path.relative(root, file);
  const deps = [];
  for (const m of source.matchAll(importRe)) {
    const spec = m[1] ?? m[2];
    // Tests and process entry points (bin/) may do I/O; the library itself may not.
    const isPure = pure.some((p) => rel.startsWith(p)) && !rel.endsWith('.test.ts') && !rel.includes('/bin/');
    if (isPure && forbiddenInPure.test(spec)) problems.push(`${rel}: a domain package must not import "${spec}"`);
    if (spec.startsWith('@telehealth/') && spec.split('/').length > 2 && !declaredEntry(spec)) problems.push(`${rel}: deep import "${spec}" (use an entry the package's exports declare)`);
    if (rel.startsWith(routesDir)) problems.push(...routeImportProblems(rel, file, spec));
    const target = resolve(file, spec);
    if (target) deps.push(target);
  }
  if (rel.startsWith(routesDir)) problems.push(...routeWriteProblems(rel, source));
  graph.set(file, deps);
}

// Tarjan's strongly connected components: any component with more than one file (or a self-import) is a cycle.
let index = 0;
const stack = [];
const meta = new Map();
function strongConnect(v) {
  meta.set(v, { index, low: index, onStack: true });
  index++;
  stack.push(v);
  for (const w of graph.get(v) ?? []) {
    if (!graph.has(w)) continue;
    if (!meta.has(w)) {
      strongConnect(w);
      meta.get(v).low = Math.min(meta.get(v).low, meta.get(w).low);
    } else if (meta.get(w).onStack) meta.get(v).low = Math.min(meta.get(v).low, meta.get(w).index);
  }
  if (meta.get(v).low === meta.get(v).index) {
    const component = [];
    let w;
    do {
      w = stack.pop();
      meta.get(w).onStack = false;
      component.push(path.relative(root, w));
    } while (w !== v);
    if (component.length > 1 || (graph.get(v) ?? []).includes(v)) problems.push(`import cycle: ${component.join(' → ')}`);
  }
}
for (const v of graph.keys()) if (!meta.has(v)) strongConnect(v);

if (problems.length) {
  console.error(problems.join('\n'));
  process.exit(1);
}
console.log(`imports: ${files.length} files, no cycles, layering respected`);

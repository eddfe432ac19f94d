// The FHIR benchmark (issue 13, `fhir.*`): the reference commune (5,000 charts with 20,000 visits and 20 requests,
// bench/sync/generate.ts, the same as the sync and backup benchmarks) exported as FHIR R4 and validated whole
// (`communeErrors`: problems from the R4 JSON schema, the structure definitions and the product's checks, target 0);
// imported into an empty server through its API (bundles of 100 charts) and exported again (`roundTripDiffs`:
// resources that differ, are missing or are extra, every kind but the units', target 0); and the validator on
// the device (`validateMsPerResource`: Chromium with the CPU 4× slower, as a cheap phone; the first use's loading is
// `validatorLoadMs`). Writes the `fhir` part of bench-results/interop.json.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { bundleOf, chartResources, type Bundle, type Resource } from '@telehealth/fhir';
import { fhirValidator } from '@telehealth/fhir/validate';
import { loadConfig } from '../../sync-server/src/config';
import { createLogger } from '../../sync-server/src/log';
import { startSystem } from '../../sync-server/src/system';
import { generateCommune } from '../sync/generate';
import { inChromium } from '../lib/in-chromium';
import { writeInteropPart } from '../lib/results';

const unitId = 'tyt-02701';
const commune = generateCommune();
const formsOf = new Map<string, Record<string, unknown>[]>();
for (const f of commune.forms) formsOf.set(String(f.patientId), [...(formsOf.get(String(f.patientId)) ?? []), { ...f, unitId }]);
const requestsOf = new Map<string, Record<string, unknown>[]>();
for (const r of commune.requests) requestsOf.set(String(r.patientId), [...(requestsOf.get(String(r.patientId)) ?? []), r]);
const chart = (p: Record<string, unknown>) => ({
  patient: p,
  forms: formsOf.get(String(p.id)) ?? [],
  appointments: [],
  requests: requestsOf.get(String(p.id)) ?? [],
  reviews: [],
  minutes: [],
  prescriptions: []
});

// 1. The whole commune, exported and validated.
let t = performance.now();
const resources = commune.patients.flatMap((p) => chartResources(chart(p)));
const exportSeconds = (performance.now() - t) / 1000;
const bundle = bundleOf(resources, 'collection', '2026-12-01T00:00:00Z');
t = performance.now();
const problems = fhirValidator().bundle(bundle);
const validateSeconds = (performance.now() - t) / 1000;
const byType: Record<string, number> = {};
for (const r of resources) byType[r.resourceType] = (byType[r.resourceType] ?? 0) + 1;
console.log(`fhir: ${resources.length} resources (${Object.entries(byType).map(([k, v]) => `${k} ${v}`).join(', ')}), ${(JSON.stringify(bundle).length / 1_048_576).toFixed(1)} MB`);
console.log(`fhir.communeErrors ${problems.length} (target 0); validated in ${validateSeconds.toFixed(1)} s on the server`);
for (const p of problems.slice(0, 10)) console.log(`  ${p.resource} ${p.path}: ${p.message} (${p.by})`);

// 2. Into an empty server and out again.
const dataDir = mkdtempSync(path.join(tmpdir(), 'bench-fhir-'));
const config = loadConfig({ PORT: '0', DATA_DIR: dataDir, APP_BUILD_DIR: path.join(dataDir, 'no-app'), SEED_DEMO: 'true', PASSWORD_HASH_N: '1024', SFU: 'off', SYNC_BUS: 'local', COMPACTION_INTERVAL_MS: '0', LOG_LEVEL: 'warn' });
const system = await startSystem(config, createLogger('warn', () => {}));
let roundTripDiffs = 0;
let importSeconds = 0;
let reexportSeconds = 0;
// Every resource but the units' (the second server has its own units; Organizations are not imported).
const compared = (r: Resource) => r.resourceType !== 'Organization';
try {
  const login = await fetch(`${system.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'tram.yty', password: 'yty-demo-2025' }) });
  const { accessToken } = (await login.json()) as { accessToken: string };
  const headers = { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' };
  t = performance.now();
  for (let i = 0; i < commune.patients.length; i += 100) {
    const part = bundleOf(commune.patients.slice(i, i + 100).flatMap((p) => chartResources(chart(p))), 'collection', '2026-12-01T00:00:00Z');
    const res = await fetch(`${system.url}/api/fhir/import`, { method: 'POST', headers, body: JSON.stringify(part) });
    if (res.status !== 200) throw new Error(`import refused (${res.status}): ${(await res.text()).slice(0, 2000)}`);
  }
  importSeconds = (performance.now() - t) / 1000;
  t = performance.now();
  const res = await fetch(`${system.url}/api/fhir/export?from=2000-01-01&to=2099-12-31`, { headers });
  const again = (await res.json()) as Bundle;
  reexportSeconds = (performance.now() - t) / 1000;
  const key = (r: Resource) => `${r.resourceType}/${r.id}`;
  const before = new Map(resources.filter(compared).map((r) => [key(r), JSON.stringify(r)]));
  const after = new Map((again.entry ?? []).map((e) => e.resource!).filter(compared).map((r) => [key(r), JSON.stringify(r)]));
  for (const [k, v] of before) if (after.get(k) !== v) roundTripDiffs++;
  for (const k of after.keys()) if (!before.has(k)) roundTripDiffs++;
  console.log(`fhir.roundTripDiffs ${roundTripDiffs} (target 0) over ${before.size} resources (all but the units'); import ${importSeconds.toFixed(1)} s, export ${reexportSeconds.toFixed(1)} s`);
} finally {
  await system.stop();
}

// 3. The validator on the device: a sample of the commune's resources, in Chromium, CPU 4× slower.
const sample = resources.filter((_, i) => i % Math.ceil(resources.length / 2_000) === 0);
const device = await inChromium(`import { fhirValidator } from '@telehealth/fhir/validate'; window.fhirValidator = fhirValidator;`, async (page, cdp) => {
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  return page.evaluate((rs) => {
    const w = window as unknown as { fhirValidator: () => { resource(r: unknown): unknown[] } };
    let t0 = performance.now();
    const v = w.fhirValidator();
    v.resource(rs[0]);
    const loadMs = performance.now() - t0;
    // Each resource type's first check compiles its schema: warm them before timing.
    const seen = new Set<string>();
    for (const r of rs as { resourceType: string }[]) {
      if (seen.has(r.resourceType)) continue;
      seen.add(r.resourceType);
      v.resource(r);
    }
    t0 = performance.now();
    let problems = 0;
    for (const r of rs) problems += v.resource(r).length;
    return { loadMs, perResourceMs: (performance.now() - t0) / rs.length, problems };
  }, sample);
});
console.log(`fhir.validateMsPerResource ${device.perResourceMs.toFixed(3)} (target ≤ 50) on ${sample.length} resources in Chromium at 4× CPU slowdown; the validator's first use ${Math.round(device.loadMs)} ms`);

writeInteropPart('fhir', {
  communeErrors: problems.length,
  roundTripDiffs,
  validateMsPerResource: Number(device.perResourceMs.toFixed(3)),
  validatorLoadMs: Math.round(device.loadMs),
  resources: resources.length,
  byType,
  bundleMB: Number((JSON.stringify(bundle).length / 1_048_576).toFixed(1)),
  serverValidateSeconds: Number(validateSeconds.toFixed(1)),
  exportSeconds: Number(exportSeconds.toFixed(1)),
  importSeconds: Number(importSeconds.toFixed(1)),
  reexportSeconds: Number(reexportSeconds.toFixed(1)),
  roundTripKinds: [...new Set(resources.filter(compared).map((r) => r.resourceType))],
  where: `Node ${process.version}; server on embedded PGlite; device: Debian Chromium, CPU 4× slower`
});

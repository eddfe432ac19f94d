// `npm run fuzz -- --seed N [--steps N] [--database-url URL]`: runs the convergence scenario for one seed outside
// vitest (embedded PGlite unless a database is given) and prints, last, `digest <hex>` of the converged documents.
// The same seed prints the same digest on every run.
import { parseArgs } from 'node:util';
import { runScenario } from './fuzz-scenario';

const { values } = parseArgs({
  options: { seed: { type: 'string' }, steps: { type: 'string', default: '160' }, 'database-url': { type: 'string' }, debug: { type: 'boolean', default: false } }
});
const seed = Number(values.seed);
const steps = Number(values.steps);
if (!Number.isInteger(seed) || !Number.isInteger(steps) || steps < 1) {
  console.error('usage: npm run fuzz -- --seed N [--steps N] [--database-url postgres://…] [--debug]');
  process.exit(2);
}
try {
  const r = await runScenario({ seed, steps, databaseUrl: values['database-url'], debug: values.debug ? (line) => console.error(line) : undefined });
  console.log(`seed ${seed}: ${steps} steps, ${r.deliveries} frames delivered, ${r.acked} edits acknowledged, ${r.restarts} restarts, log head ${r.logHead}`);
  console.log(`digest ${r.digest}`);
  process.exit(0);
} catch (err) {
  console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
  process.exit(1);
}

// `npm run e2e:consultation` (issue 11's acceptance) on its own: the consultation's record end to end.
// In Chromium (e2e/minutes.test.ts, e2e/prescription.test.ts): the station and the doctor co-edit the minutes in two
// browsers, offline too; the chair and the secretary sign them with PKCS#12 files the test makes, pdfsig finds every
// signature valid, a word typed offline after the signature is refused and set aside, a correction is a new version;
// a prescription is issued offline, printed, refused when edited and sent once to the national stand-in.
// On the server (vitest, real PostgreSQL): signatures (sync-server/test/signatures.test.ts: bad uploads refused, the
// lock, the race of a change and a signature), remote signers (remote-signing.test.ts: CSC and confirm-on-phone
// stand-ins), prescriptions and the national outbox across drops and restarts, and the seeded fuzz of co-editing.
import { ensureDebianPackages, commandOnPath, run } from './lib/run.mjs';
import { runAlone } from './lib/e2e-alone.mjs';

const missing = [];
if (!commandOnPath('openssl')) missing.push('openssl');
if (!commandOnPath('pdfsig')) missing.push('poppler-utils');
ensureDebianPackages(missing);

const server = await run('npx', [
  'vitest',
  'run',
  'sync-server/test/signatures.test.ts',
  'sync-server/test/remote-signing.test.ts',
  'sync-server/test/prescriptions.test.ts',
  'sync-server/test/national-rx.test.ts',
  'app/lib/records/minutes.integration.test.ts',
  'app/lib/records/minutes.fuzz.integration.test.ts'
]);
if (server !== 0) {
  console.log('\nThe consultation record failed on the server');
  process.exit(server);
}
await runAlone(['e2e/minutes.test.ts', 'e2e/prescription.test.ts'], {
  passed: 'The consultation record passed; screenshots in e2e/screenshots/',
  failed: 'The consultation record failed; screenshots so far in e2e/screenshots/'
});

// `npm run e2e:interop`: issue 13's browser stories on their own: a chart exported as FHIR from one server and
// imported into a second one from Settings, a bad file refused whole (e2e/interop.test.ts); a station's encrypted
// backup restored on a fresh browser profile (e2e/backup.test.ts). Screenshots land in e2e/screenshots/.
import { runAlone } from './lib/e2e-alone.mjs';

await runAlone(['e2e/interop.test.ts', 'e2e/backup.test.ts'], {
  passed: 'Interoperability passed; screenshots in e2e/screenshots/fhir-*.png',
  failed: 'Interoperability failed; see test-results/ and the lines above'
});

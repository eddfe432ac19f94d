// `npm run e2e:admin`: the administration and reports stories on their own (issue 12's acceptance): units with their
// address and licence, accounts, the telehealth level self-assessment and the yearly report printed (e2e/admin.test.ts);
// reports 5A–5D offline on a station and from the server, downloaded as CSV, XLSX and PDF (e2e/reports.test.ts);
// bulletins published, read offline, withdrawn and counted (e2e/bulletins.test.ts). The server's restore drill (devices
// sync on without a new provisioning) is sync-server/test/restore.test.ts. Screenshots land in e2e/screenshots/.
import { runAlone } from './lib/e2e-alone.mjs';

await runAlone(['e2e/admin.test.ts', 'e2e/reports.test.ts', 'e2e/bulletins.test.ts'], {
  passed: 'Administration and reports passed; screenshots in e2e/screenshots/',
  failed: 'Administration and reports failed; screenshots so far in e2e/screenshots/'
});

// `npm run e2e:calls`: the consultation call test (e2e/calls.test.ts, Playwright project `calls`) on its own, then
// media through the SFU and the recording with consent (e2e/sfu-media.ts: root, a network namespace, Janus).
// Screenshots of the call on a phone land in e2e/screenshots/.
import { runAlone } from './lib/e2e-alone.mjs';

await runAlone(['--project', 'calls'], {
  passed: 'Calls passed; screenshots in e2e/screenshots/call-*.png',
  failed: 'Calls failed; see test-results/ and the lines above',
  after: ['npx', ['tsx', 'e2e/sfu-media.ts'], ['janus']]
});

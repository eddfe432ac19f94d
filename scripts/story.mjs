// `npm run e2e:story`: the story test of the clinical loop (e2e/story.test.ts) on its own. Screenshots of each
// step land in e2e/screenshots/.
import { runAlone } from './lib/e2e-alone.mjs';

await runAlone(['e2e/story.test.ts'], { passed: 'Story passed; screenshots in e2e/screenshots/', failed: 'Story failed; screenshots so far in e2e/screenshots/' });

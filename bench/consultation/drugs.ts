// Searching the drug catalog offline (issue 11: `rx.drugSearchMs`): a 20,000-drug list (generated from a fixed seed:
// real active-ingredient names × strengths × dosage forms × makers), the device's own search (`DrugSearch`), and a
// person typing drug names letter by letter: each keystroke is one search. Measured in Node, and in Chromium with the
// CPU slowed 4× (a cheap phone; `runDrugsBenchInChromium`), the unthrottled Chromium run in the same page as baseline.
import { inChromium } from '../lib/in-chromium';
import { timeDrugSearches } from './drug-searches';

export type DrugsResult = { drugs: number; queries: number; drugSearchP50Ms: number; drugSearchMs: number; maxMs: number };

const p95 = (xs: number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return Number(sorted[Math.min(sorted.length - 1, Math.floor(0.95 * sorted.length))]!.toFixed(2));
};

export type DrugsChromium = { drugSearchMsChromium4x: number; drugSearchMsChromium: number; slowdownRatio: number; cpuSlowdown: number };

/** The same searches in Chromium, unthrottled then with the CPU slowed 4×, in one page (each run builds its own list). */
export async function runDrugsBenchInChromium(log: (s: string) => void): Promise<DrugsChromium> {
  return inChromium(`import { timeDrugSearches } from './bench/consultation/drug-searches'; window.timeDrugSearches = timeDrugSearches;`, async (page, cdp) => {
    const run = () => page.evaluate(() => (window as unknown as { timeDrugSearches: () => number[] }).timeDrugSearches());
    await run(); // warm
    const plain = await run();
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
    const slowed = await run();
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
    const result = { drugSearchMsChromium4x: p95(slowed), drugSearchMsChromium: p95(plain), slowdownRatio: Number((p95(slowed) / Math.max(p95(plain), 0.01)).toFixed(2)), cpuSlowdown: 4 };
    log(`drugs in Chromium: p95 ${result.drugSearchMsChromium4x} ms a search at 4× CPU slowdown (${result.drugSearchMsChromium} ms unthrottled)`);
    return result;
  });
}

export function runDrugsBench(log: (s: string) => void, count = 20_000): DrugsResult {
  const times = timeDrugSearches(count);
  times.sort((a, b) => a - b);
  const at = (p: number) => Number(times[Math.min(times.length - 1, Math.floor(p * times.length))]!.toFixed(2));
  log(`drugs: ${count} drugs, ${times.length} searches`);
  return { drugs: count, queries: times.length, drugSearchP50Ms: at(0.5), drugSearchMs: at(0.95), maxMs: Number(times.at(-1)!.toFixed(2)) };
}

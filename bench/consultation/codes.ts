// National prescription codes (issue 11: `rx.codesPerFacility`, `rx.collisions`): 10 million codes over 1,000
// facilities, drawn as the device draws them (newPrescriptionCode with a cryptographic source), each checked against
// the codes its facility already holds. `collisions` counts codes issued twice within a facility (the target is 0);
// `redraws` counts draws that hit a held code and were drawn again, against the birthday bound's expectation.
import { randomFillSync } from 'node:crypto';
import { newPrescriptionCode, prescriptionCodeAlphabet, prescriptionCodeRandomLength } from '@telehealth/domain';

export type CodesResult = { facilities: number; codesPerFacility: number; codes: number; collisions: number; redraws: number; expectedRedraws: number; seconds: number };

/** Uniform in [0, 1) from the operating system's cryptographic source, read in blocks. */
function cryptoSource(): () => number {
  const block = new Uint32Array(1 << 16);
  let at = block.length;
  return () => {
    if (at === block.length) {
      randomFillSync(block);
      at = 0;
    }
    return block[at++]! / 2 ** 32;
  };
}

export function runCodesBench(log: (s: string) => void, facilities = 1_000, perFacility = 10_000): CodesResult {
  const random = cryptoSource();
  const started = performance.now();
  let collisions = 0;
  let redraws = 0;
  for (let f = 0; f < facilities; f++) {
    const facility = String(10_000 + f);
    const held = new Set<string>();
    for (let i = 0; i < perFacility; i++) {
      const made = newPrescriptionCode(facility, 'c', random, (code) => {
        const taken = held.has(code);
        if (taken) redraws++;
        return taken;
      });
      if (!made.ok) throw new Error(made.problem);
      if (held.has(made.code)) collisions++;
      held.add(made.code);
    }
    if ((f + 1) % 250 === 0) log(`rx: ${f + 1} facilities`);
  }
  const space = prescriptionCodeAlphabet.length ** prescriptionCodeRandomLength;
  return {
    facilities,
    codesPerFacility: perFacility,
    codes: facilities * perFacility,
    collisions,
    redraws,
    expectedRedraws: Number(((facilities * perFacility * (perFacility - 1)) / 2 / space).toFixed(3)),
    seconds: Number(((performance.now() - started) / 1000).toFixed(1))
  };
}

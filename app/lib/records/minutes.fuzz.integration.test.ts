// Seeded fuzzing of co-editing the minutes (issue 11's acceptance): three editors — two devices of the station and the
// upper unit's doctor — type into the minutes' co-edited fields through text boxes bound to them (co-edit.ts), at
// random places, with random offline spells, against the real server. In the end every box, every device and the
// server hold the same texts, and every word anyone typed is there exactly once: no character lost. A seed replays
// the same edits (the network's timing is real); a failing one is printed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { docId, mainRecord, seededRandom, writeFields } from '@telehealth/domain';
import { device, startTestSystem, waitFor, type Device, type TestSystem } from '../../../sync-server/test/harness';
import { TextBinding } from './co-edit';
import { Box } from './co-edit.testing';

const station = 'tyt-02701';
const fields = ['conclusion', 'treatment', 'care'] as const;


type Editor = { device: Device; offline: boolean; boxes: Map<string, { box: Box; binding: TextBinding }> };

/** Words as typed: `⟨editor.step⟩`, each unique, so that each can be found in the end. */
const wordsIn = (text: string) => text.match(/⟨[^⟩]*⟩/g) ?? [];

describe('co-editing the minutes under random typing and offline spells', () => {
  let system: TestSystem;
  beforeAll(async () => {
    system = await startTestSystem();
  });
  afterAll(() => system.stop());

  it.each([11, 77, 2026])('converges with no character lost, seed %i', async (seed) => {
    const rnd = seededRandom(seed);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!;
    const id = docId('minutes', `m-fuzz-${seed}`);
    const patientId = `p-fuzz-${seed}`;

    // The station's chart and minutes, on the server before the others open them.
    const first = await device(system.url, 'tram.yty', { name: 'station-pc' });
    first.store.edit(docId('patient', patientId), { kind: 'patient', unitId: station, patientId }, (doc) => writeFields(mainRecord(doc, 'patient'), { id: patientId, fullName: 'Hạng A Tủa', gender: 'male', dateOfBirth: '1970-01-01' }));
    first.store.edit(id, { kind: 'minutes', unitId: station, patientId, peerUnitId: 'ttyt-bat-xat' }, (doc) =>
      writeFields(mainRecord(doc, 'minutes'), { id: `m-fuzz-${seed}`, requestId: `m-fuzz-${seed}`, patientId, requestingUnitId: station, heldAt: '2026-12-01T09:00:00+07:00' })
    );
    await first.client.localChange();
    await first.synced();
    const others = [await device(system.url, 'tram.yty', { name: 'station-tablet' }), await device(system.url, 'bacsi.batxat', { name: 'doctor-pc' })];
    for (const d of others) await waitFor(() => d.store.docs.has(id), 10_000, `${d.name} to receive the minutes`);
    const editors: Editor[] = [first, ...others].map((d) => ({
      device: d,
      offline: false,
      boxes: new Map(fields.map((f) => {
        const box = new Box();
        return [f, { box, binding: new TextBinding(d.store.doc(id).getText(f), box) }];
      }))
    }));

    const typed = new Set<string>();
    try {
      for (let step = 0; step < 200; step++) {
        const e = pick(editors);
        const r = rnd();
        if (r < 0.8) {
          // Types a word between two words (or at an end) of a field, as its box shows it, key by key.
          const { box, binding } = e.boxes.get(pick(fields))!;
          const bounds = [0, ...[...box.value.matchAll(/⟩/g)].map((m) => m.index + 1)];
          let at = pick(bounds);
          const word = `⟨${e.device.name}.${step}⟩`;
          typed.add(word);
          for (const ch of word) {
            box.value = box.value.slice(0, at) + ch + box.value.slice(at);
            at += ch.length;
            box.setSelectionRange(at, at);
            binding.input();
          }
          if (!e.offline) await e.device.client.localChange();
        } else if (r < 0.95) {
          // The link drops, or comes back.
          e.offline = !e.offline;
          if (e.offline) e.device.client.stop();
          else e.device.client.start();
        } else {
          // The network settles: whatever is on its way arrives at every editor that is online.
          await Promise.all(editors.filter((x) => !x.offline).map((x) => x.device.synced(20_000)));
        }
      }
      // Everyone back online; the network settles.
      for (const e of editors) {
        if (e.offline) e.device.client.start();
        e.offline = false;
        await e.device.client.localChange();
      }
      for (const e of editors) await e.device.synced(20_000);
      const server = new Y.Doc();
      const serverText = async () => {
        for (const row of await system.storage.log.docHistory(id, Number.MAX_SAFE_INTEGER)) Y.applyUpdateV2(server, row.data);
        return fields.map((f) => server.getText(f).toString());
      };
      await waitFor(async () => {
        const expected = JSON.stringify(await serverText());
        return editors.every((e) => JSON.stringify(fields.map((f) => e.boxes.get(f)!.box.value)) === expected);
      }, 20_000, 'every box to show the server’s texts');

      const all = (await serverText()).flatMap(wordsIn);
      expect(all.length, 'every word typed is there once').toBe(typed.size);
      expect(new Set(all)).toEqual(typed);
      for (const e of editors) {
        expect(fields.map((f) => e.device.store.doc(id).getText(f).toString())).toEqual(await serverText());
        expect(e.device.store.refusedEntries).toEqual([]);
      }
    } catch (err) {
      if (err instanceof Error) err.message = `seed ${seed}: ${err.message}`;
      throw err;
    } finally {
      for (const e of editors) {
        for (const { binding } of e.boxes.values()) binding.destroy();
        e.device.client.stop();
      }
    }
  }, 120_000);
});

// What a device wrote into a document, as updates it can send again: after the server's database was restored
// from a backup, the changes the server acknowledged after the backup are gone there, and only the devices that
// made them still hold them (ARCHITECTURE.md, "Restoring the server database").
//
// The changes are the document's structs made under this device's Yjs client ids, with the whole delete set;
// the server already holding some of them is harmless (Yjs applies an update idempotently). A document can be
// megabytes (photos), so the structs are cut into updates under `maxBytes`, each a valid Yjs v2 update, and the
// delete set goes last on its own.
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';

type Struct = Y.Item | Y.GC | Y.Skip;

/** Yjs v2 updates that together hold every struct of `doc` made by `clientIds`, and the document's delete set. */
export function ownChanges(doc: Y.Doc, clientIds: Iterable<number>, maxBytes: number): Uint8Array[] {
  const own = new Set(clientIds);
  const others = new Map([...Y.decodeStateVector(Y.encodeStateVector(doc))].filter(([client]) => !own.has(client)));
  const whole = Y.encodeStateAsUpdateV2(doc, Y.encodeStateVector(others));
  const { structs } = Y.decodeUpdateV2(whole);
  if (!structs.length) return [];
  if (whole.length <= maxBytes) return [whole];
  const pieces: Uint8Array[] = [];
  const cut = (run: Struct[]) => {
    const update = encodeStructs(run);
    if (update.length <= maxBytes || run.length === 1) pieces.push(update);
    else {
      const half = Math.ceil(run.length / 2);
      cut(run.slice(0, half));
      cut(run.slice(half));
    }
  };
  // Runs of one client, in clock order (as decodeUpdateV2 lists them).
  let run: Struct[] = [];
  for (const s of structs) {
    if (run.length && run[0]!.id.client !== s.id.client) {
      cut(run);
      run = [];
    }
    run.push(s);
  }
  cut(run);
  // The delete set alone: the update with every struct the whole one has already known.
  const deletes = Y.diffUpdateV2(whole, Y.encodeStateVectorFromUpdateV2(whole));
  if (Y.decodeUpdateV2(deletes).ds.clients.size) pieces.push(deletes);
  return pieces;
}

/** One client's consecutive structs as a Yjs v2 update with an empty delete set (the layout of Yjs's writeStructs). */
function encodeStructs(run: Struct[]): Uint8Array {
  const encoder = new Y.UpdateEncoderV2();
  const rest = encoder.restEncoder;
  encoding.writeVarUint(rest, 1);
  encoding.writeVarUint(rest, run.length);
  encoder.writeClient(run[0]!.id.client);
  encoding.writeVarUint(rest, run[0]!.id.clock);
  for (const s of run) s.write(encoder, 0);
  encoding.writeVarUint(rest, 0);
  return encoder.toUint8Array();
}

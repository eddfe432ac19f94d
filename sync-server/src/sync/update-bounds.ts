// Reads an untrusted Yjs v2 update within bounds, before anything else decodes it.
//
// A v2 update stores its columns run-length encoded, and an exhausted column keeps repeating its last value,
// so a few dozen bytes can announce billions of structs: Yjs's own decoder would then allocate one object per
// struct until the process runs out of memory (measured: a 21-byte update took the server down). This reader
// walks the same layout with Yjs's column decoders, but counts structs and delete ranges against limits before
// reading them, and refuses the content types (formatting marks, embeds, documents, JSON), root types and nested types
// that no record uses. Only an
// update that passes is handed to Yjs.
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';

export type UpdateBounds = { maxStructs: number; maxDeleteRanges: number; maxClients: number };

export const updateBounds: UpdateBounds = {
  /** Structs (items, GC and skip ranges) in one update. A day of offline edits to one chart is a few hundred. */
  maxStructs: 16_384,
  /** Delete ranges in one update. */
  maxDeleteRanges: 16_384,
  /** Distinct client ids in one update. */
  maxClients: 256
};

/** Content refs as Yjs numbers them (structs/Item.js). */
const Content = { gc: 0, deleted: 1, json: 2, binary: 3, string: 4, embed: 5, format: 6, type: 7, any: 8, doc: 9, skip: 10 } as const;
/** Type refs (structs/ContentType.js): records use maps and arrays only. */
const TypeRef = { array: 0, map: 1 } as const;

export type UpdateShape = {
  structs: number;
  deleteRanges: number;
  /** Root types the update's items name directly (their parent given by name). */
  roots: Set<string>;
  /** Nested shared types the update creates (a form inside a chart). */
  nestedTypes: number;
};

export type BoundsResult = { ok: true; shape: UpdateShape } | { ok: false; code: 'bad_update' | 'update_too_complex'; message: string };

const BIT6 = 32;
const BIT7 = 64;
const BIT8 = 128;
const BITS5 = 31;

class Refusal extends Error {
  constructor(
    readonly code: 'bad_update' | 'update_too_complex',
    message: string
  ) {
    super(message);
  }
}

const tooComplex = (message: string) => new Refusal('update_too_complex', message);
const bad = (message: string) => new Refusal('bad_update', message);

/** The structure of an untrusted Yjs v2 update, read within `updateBounds`; nothing is allocated per announced count. */
export function inspectUpdateV2(update: Uint8Array, bounds: UpdateBounds = updateBounds): BoundsResult {
  if (update.length === 0) return { ok: false, code: 'bad_update', message: 'empty update' };
  try {
    return { ok: true, shape: walk(update, bounds) };
  } catch (err) {
    if (err instanceof Refusal) return { ok: false, code: err.code, message: err.message };
    return { ok: false, code: 'bad_update', message: `not a Yjs v2 update (${(err as Error).message})` };
  }
}

function walk(update: Uint8Array, bounds: UpdateBounds): UpdateShape {
  const decoder = new Y.UpdateDecoderV2(decoding.createDecoder(update));
  const rest = decoder.restDecoder;
  const shape: UpdateShape = { structs: 0, deleteRanges: 0, roots: new Set(), nestedTypes: 0 };
  const count = (what: string, n: number, max: number, sofar: number) => {
    if (!Number.isSafeInteger(n) || n < 0) throw bad(`bad ${what} count`);
    if (sofar + n > max) throw tooComplex(`${sofar + n} ${what} (at most ${max})`);
  };
  const remaining = () => update.length - rest.pos;

  const clients = decoding.readVarUint(rest);
  count('clients', clients, bounds.maxClients, 0);
  for (let c = 0; c < clients; c++) {
    const structs = decoding.readVarUint(rest);
    count('structs', structs, bounds.maxStructs, shape.structs);
    shape.structs += structs;
    decoder.readClient();
    decoding.readVarUint(rest); // first clock
    for (let i = 0; i < structs; i++) {
      const info = decoder.readInfo();
      if (typeof info !== 'number') throw bad('truncated struct column');
      const ref = info & BITS5;
      if (ref === Content.gc) {
        decoder.readLen();
        continue;
      }
      if (ref === Content.skip) {
        decoding.readVarUint(rest);
        continue;
      }
      if ((info & BIT8) === BIT8) decoder.readLeftID();
      if ((info & BIT7) === BIT7) decoder.readRightID();
      const parentGiven = (info & (BIT7 | BIT8)) === 0;
      if (parentGiven) {
        if (decoder.readParentInfo()) shape.roots.add(decoder.readString());
        else decoder.readLeftID();
        if ((info & BIT6) === BIT6) decoder.readString(); // the map key
      }
      readContent(decoder, ref, shape, remaining);
    }
  }

  const dsClients = decoding.readVarUint(rest);
  count('delete-set clients', dsClients, bounds.maxClients, 0);
  for (let c = 0; c < dsClients; c++) {
    decoder.resetDsCurVal();
    decoding.readVarUint(rest); // client
    const ranges = decoding.readVarUint(rest);
    count('delete ranges', ranges, bounds.maxDeleteRanges, shape.deleteRanges);
    shape.deleteRanges += ranges;
    for (let i = 0; i < ranges; i++) {
      decoder.readDsClock();
      decoder.readDsLen();
    }
  }
  return shape;
}

function readContent(decoder: Y.UpdateDecoderV2, ref: number, shape: UpdateShape, remaining: () => number) {
  switch (ref) {
    case Content.deleted:
      decoder.readLen();
      return;
    case Content.binary:
      decoder.readBuf();
      return;
    case Content.string:
      // Characters typed in a co-edited text (the minutes' Y.Text roots); formatting marks and embeds stay refused.
      decoder.readString();
      return;
    case Content.type: {
      const typeRef = decoder.readTypeRef();
      if (typeRef !== TypeRef.map && typeRef !== TypeRef.array) throw bad(`shared type ${typeRef} is not used by records`);
      shape.nestedTypes++;
      return;
    }
    case Content.any: {
      const len = decoder.readLen();
      // Every value takes at least one byte of the rest column.
      if (!Number.isSafeInteger(len) || len > remaining()) throw bad('value count beyond the update');
      for (let i = 0; i < len; i++) decoder.readAny();
      return;
    }
    default:
      throw bad(`content type ${ref} is not used by records`);
  }
}

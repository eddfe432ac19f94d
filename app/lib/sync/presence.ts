// Presence in a co-edited document (M7: who is in the minutes, and in which field), as y-protocols awareness: each
// device's state is relayed by the server to the other devices present in the document (never stored), renewed every
// 15 s and dropped by the others 30 s after it stops (a device that lost its link), or at once when it leaves.
import type * as Y from 'yjs';
import { Awareness, applyAwarenessUpdate, encodeAwarenessUpdate, removeAwarenessStates } from 'y-protocols/awareness';

/** What a device says about itself in a document: the person, their side, and the field they are in. */
export type PresenceState = { name: string; side: 'station' | 'upper'; field?: string };

/** What presence needs of the sync engine (SyncEngine has it). */
export type PresenceLink = {
  announce(docId: string, update: Uint8Array, current: () => Uint8Array): void;
  leave(docId: string, removal: Uint8Array): void;
  readonly presenceListeners: Set<(docId: string, update: Uint8Array) => void>;
};

const isPresence = (v: unknown): v is PresenceState =>
  typeof v === 'object' && v !== null && typeof (v as PresenceState).name === 'string' && ['station', 'upper'].includes((v as PresenceState).side);

export class DocPresence {
  private readonly awareness: Awareness;
  private left = false;
  private readonly listener = (docId: string, update: Uint8Array) => {
    if (docId === this.docId) applyAwarenessUpdate(this.awareness, update, 'remote');
  };

  constructor(
    private readonly link: PresenceLink,
    private readonly docId: string,
    /** The open document (its client id names this device's state). */
    doc: Y.Doc,
    me: PresenceState,
    /** Someone came, left or moved (here or elsewhere). */
    onChange: () => void
  ) {
    this.awareness = new Awareness(doc);
    const id = this.awareness.clientID;
    // For a new connection: when the last one closed, the server told the others this device left, with the state's
    // clock + 1; the clock moves past that, or they would ignore the state as old.
    const current = () => {
      const meta = this.awareness.meta.get(id);
      if (meta) this.awareness.meta.set(id, { ...meta, clock: meta.clock + 2 });
      return encodeAwarenessUpdate(this.awareness, [id]);
    };
    this.awareness.on('update', ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }, origin: unknown) => {
      if (this.left) return;
      if (origin === 'local') this.link.announce(this.docId, encodeAwarenessUpdate(this.awareness, [...added, ...updated, ...removed]), current);
      // Someone new: the server keeps no presence, so they learn of this device only from it (their announcement may
      // have reached the server after this device's last one, which was then relayed to no one).
      else if (added.some((a) => a !== id)) this.link.announce(this.docId, encodeAwarenessUpdate(this.awareness, [id]), current);
    });
    link.presenceListeners.add(this.listener);
    this.awareness.setLocalState(me);
    // After this device's own first state: `onChange` is never called before the constructor has returned.
    this.awareness.on('change', () => {
      if (!this.left) onChange();
    });
  }

  /** The field this person is in now (undefined: none). */
  setField(field: string | undefined) {
    if (this.awareness.getLocalState()?.field !== field) this.awareness.setLocalStateField('field', field);
  }

  /** The other people present (another device of the same person too), as they say. */
  others(): PresenceState[] {
    return [...this.awareness.getStates()].filter(([id, state]) => id !== this.awareness.clientID && isPresence(state)).map(([, state]) => state as PresenceState);
  }

  /** Leaves the document: the others drop this person at once. */
  destroy() {
    const id = this.awareness.clientID;
    this.left = true;
    this.link.presenceListeners.delete(this.listener);
    removeAwarenessStates(this.awareness, [id], 'leave');
    this.link.leave(this.docId, encodeAwarenessUpdate(this.awareness, [id]));
    this.awareness.destroy();
  }
}

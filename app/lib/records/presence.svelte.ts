// Who else is in the open minutes, and in which field, as rune state for the screen (app/lib/sync/presence.ts does
// the work). Started when the document opens, stopped when the screen closes.
import type * as Y from 'yjs';
import { sync } from '../sync/sync-state.svelte';
import { DocPresence, type PresenceState } from '../sync/presence';

export class Presence {
  others = $state.raw<PresenceState[]>([]);
  #presence: DocPresence | undefined;
  #docId: string | undefined;

  /** Joins `docId` (open as `doc`) as `me`; joining another document leaves the first. */
  join(docId: string, doc: Y.Doc, me: PresenceState) {
    const engine = sync.engine;
    if (!engine || this.#docId === docId) return;
    this.leave();
    this.#docId = docId;
    this.#presence = new DocPresence(engine, docId, doc, me, () => (this.others = this.#presence?.others() ?? []));
  }

  /** The field this person is in (a text box got the focus), or none. */
  setField(field: string | undefined) {
    this.#presence?.setField(field);
  }

  /** Who is in `field`, by name. */
  in(field: string): string[] {
    return this.others.filter((o) => o.field === field).map((o) => o.name);
  }

  leave() {
    this.#presence?.destroy();
    this.#presence = undefined;
    this.#docId = undefined;
    this.others = [];
  }
}

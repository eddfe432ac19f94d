// A text box bound to a co-edited text (a Y.Text root of the minutes, layouts.ts): what the person types becomes
// the one splice between the document's text and the box's (never a replacement of the whole text, which would
// delete the other person's concurrent words), and a remote edit updates the box with the caret and selection
// moved through it, so the person keeps typing where they were. Every keystroke is one small update: the other
// side sees it during the call (the minutes are written together), unlike the record fields' commit on pause.
import type * as Y from 'yjs';
import { applySplice, movePosition, spliceOf, type TextDelta } from '@telehealth/domain';

/** What the binding needs of a text box (an HTMLTextAreaElement has it). */
export type TextBox = {
  value: string;
  selectionStart: number | null;
  selectionEnd: number | null;
  setSelectionRange(start: number, end: number): void;
};

export class TextBinding {
  /** What the box showed when it last matched the text: typing is the splice from it to the box's value. */
  private shadow: string;
  /** An IME is composing (a Vietnamese Telex or VNI keyboard): remote edits wait until it ends. */
  private composing = false;
  /** Remote edits not shown in the box yet (they arrived during a composition), in order. */
  private held: TextDelta[] = [];
  private readonly observer = (event: Y.YTextEvent, tr: Y.Transaction) => this.remote(event, tr);

  constructor(
    private readonly text: Y.Text,
    private readonly box: TextBox,
    /** Whether the box has the focus: a caret is only restored where the person is. */
    private readonly focused: () => boolean = () => true
  ) {
    this.shadow = text.toString();
    box.value = this.shadow;
    text.observe(this.observer);
  }

  /** The box's value changed by typing, pasting, cutting or deleting: its splice goes into the text. */
  input() {
    const splice = spliceOf(this.shadow, this.box.value, this.box.selectionEnd ?? this.box.value.length);
    this.shadow = this.box.value;
    if (!splice) return;
    // Remote edits held during a composition moved the text under the box: the splice moves with them.
    const index = this.through(splice.index);
    const remove = Math.max(0, this.through(splice.index + splice.remove) - index);
    const apply = () => applySplice(this.text, { index, remove, insert: splice.insert });
    if (this.text.doc) this.text.doc.transact(apply, this);
    else apply();
  }

  compositionStart() {
    this.composing = true;
  }

  compositionEnd() {
    this.composing = false;
    this.input();
    if (this.held.length) this.refresh();
  }

  private through(position: number): number {
    return this.held.reduce((at, delta) => movePosition(delta, at), position);
  }

  private remote(event: Y.YTextEvent, tr: Y.Transaction) {
    if (tr.origin === this) return;
    this.held.push(event.delta as TextDelta);
    // During a composition the box is left alone (rewriting it would end the IME's word half-typed).
    if (!this.composing) this.refresh();
  }

  private refresh() {
    const value = this.text.toString();
    const start = this.through(this.box.selectionStart ?? 0);
    const end = this.through(this.box.selectionEnd ?? 0);
    this.held = [];
    this.shadow = value;
    if (value === this.box.value) return;
    const hadFocus = this.focused();
    this.box.value = value;
    if (hadFocus) this.box.setSelectionRange(Math.min(start, value.length), Math.min(end, value.length));
  }

  destroy() {
    this.text.unobserve(this.observer);
  }
}

/**
 * A Svelte attachment (`{@attach coEdit(text)}`) binding a textarea to `text`; without a text (the document not open
 * yet) the box stays as it is. Re-run when the text changes (the document was rebuilt after a refusal).
 */
export function coEdit(text: Y.Text | undefined) {
  return (el: HTMLTextAreaElement | HTMLInputElement) => {
    if (!text) return;
    const binding = new TextBinding(text, el, () => el.ownerDocument.activeElement === el);
    const onInput = () => binding.input();
    const onStart = () => binding.compositionStart();
    const onEnd = () => binding.compositionEnd();
    el.addEventListener('input', onInput);
    el.addEventListener('compositionstart', onStart);
    el.addEventListener('compositionend', onEnd);
    return () => {
      el.removeEventListener('input', onInput);
      el.removeEventListener('compositionstart', onStart);
      el.removeEventListener('compositionend', onEnd);
      binding.destroy();
    };
  };
}

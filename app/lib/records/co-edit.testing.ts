// For tests of co-edited text: a text box as the binding sees a textarea (its value and selection), driven by hand;
// the browser test drives a real one.
import type { TextBox } from './co-edit';

export class Box implements TextBox {
  value = '';
  selectionStart: number | null = 0;
  selectionEnd: number | null = 0;
  setSelectionRange(start: number, end: number) {
    this.selectionStart = start;
    this.selectionEnd = end;
  }
  /** Types `typed` at the caret, replacing the selection, as a keyboard does. */
  type(typed: string) {
    const start = this.selectionStart ?? 0;
    this.value = this.value.slice(0, start) + typed + this.value.slice(this.selectionEnd ?? start);
    this.setSelectionRange(start + typed.length, start + typed.length);
  }
  backspace() {
    const at = this.selectionStart ?? 0;
    this.value = this.value.slice(0, at - 1) + this.value.slice(at);
    this.setSelectionRange(at - 1, at - 1);
  }
}

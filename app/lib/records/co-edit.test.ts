// A text box bound to a co-edited text: typing becomes splices, remote words appear with the caret kept in place.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { TextBinding } from './co-edit';
import { Box } from './co-edit.testing';


const pair = () => {
  const a = new Y.Doc();
  const b = new Y.Doc();
  a.on('update', (u: Uint8Array, origin: unknown) => origin !== 'net' && Y.applyUpdate(b, u, 'net'));
  b.on('update', (u: Uint8Array, origin: unknown) => origin !== 'net' && Y.applyUpdate(a, u, 'net'));
  return { a, b };
};

describe('a text box bound to a co-edited text', () => {
  it('shows the text and writes each keystroke as a splice where it was typed', () => {
    const doc = new Y.Doc();
    doc.getText('care').insert(0, 'Theo dõi mạch.');
    const box = new Box();
    const binding = new TextBinding(doc.getText('care'), box);
    expect(box.value).toBe('Theo dõi mạch.');
    box.setSelectionRange(13, 13);
    for (const ch of ', nhiệt độ') {
      box.type(ch);
      binding.input();
    }
    box.backspace();
    binding.input();
    expect(doc.getText('care').toString()).toBe('Theo dõi mạch, nhiệt đ.');
  });

  it('keeps both people’s words and the caret when the other person types before it', () => {
    const { a, b } = pair();
    const boxA = new Box();
    const boxB = new Box();
    const onA = new TextBinding(a.getText('conclusion'), boxA);
    new TextBinding(b.getText('conclusion'), boxB);
    boxA.type('Viêm phổi.');
    onA.input();
    expect(boxB.value).toBe('Viêm phổi.');
    // B's caret stands after "phổi"; A types at the start of the text.
    boxB.setSelectionRange(9, 9);
    boxA.setSelectionRange(0, 0);
    boxA.type('Kết luận: ');
    onA.input();
    expect(boxB.value).toBe('Kết luận: Viêm phổi.');
    expect(boxB.value.slice(0, boxB.selectionStart!)).toBe('Kết luận: Viêm phổi');
  });

  it('leaves the box alone while an IME composes, then shows the remote words without losing the composed ones', () => {
    const { a, b } = pair();
    const boxA = new Box();
    const boxB = new Box();
    const onA = new TextBinding(a.getText('advice'), boxA);
    const onB = new TextBinding(b.getText('advice'), boxB);
    boxA.type('Uống thuốc.');
    onA.input();
    boxB.setSelectionRange(boxB.value.length, boxB.value.length);
    onB.compositionStart();
    boxB.type(' Tái khám');
    onB.input();
    // A's words arrive mid-word: B's box is not rewritten under the IME.
    boxA.setSelectionRange(0, 0);
    boxA.type('Nghỉ ngơi. ');
    onA.input();
    expect(boxB.value).toBe('Uống thuốc. Tái khám');
    boxB.type(' sau 3 ngày');
    onB.compositionEnd();
    expect(boxB.value).toBe('Nghỉ ngơi. Uống thuốc. Tái khám sau 3 ngày');
    expect(a.getText('advice').toString()).toBe(boxB.value);
    expect(boxB.selectionStart).toBe(boxB.value.length);
  });
});

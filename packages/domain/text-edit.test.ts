// The splices a text box makes in a co-edited field, and carets through someone else's edits.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { applySplice, movePosition, setText, spliceOf, type TextDelta } from './text-edit';

describe('the splice between two texts', () => {
  it('is the one insert or delete the person made, where the caret says', () => {
    expect(spliceOf('hello world', 'hello brave world', 12)).toEqual({ index: 6, remove: 0, insert: 'brave ' });
    expect(spliceOf('Sốt cao', 'Sốt', 3)).toEqual({ index: 3, remove: 4, insert: '' });
    // A selection replaced by what was typed.
    expect(spliceOf('ho khan', 'ho có đờm', 9)).toEqual({ index: 3, remove: 4, insert: 'có đờm' });
    expect(spliceOf('same', 'same')).toBeUndefined();
  });

  it('puts a repeated character where it was typed, not at the end of the run', () => {
    expect(spliceOf('aa', 'aaa', 1)).toEqual({ index: 0, remove: 0, insert: 'a' });
    expect(spliceOf('aa', 'aaa', 2)).toEqual({ index: 1, remove: 0, insert: 'a' });
    expect(spliceOf('abcabc', 'abc', 0)).toEqual({ index: 0, remove: 3, insert: '' });
  });

  it('never splits an emoji (a surrogate pair)', () => {
    const splice = spliceOf('a😀b', 'a😃b', 3)!;
    expect(splice).toEqual({ index: 1, remove: 2, insert: '😃' });
  });

  it('turns every random edit into a splice that gives the edited text', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
    const letters = 'aăâbđeêô ';
    for (let i = 0; i < 500; i++) {
      const before = Array.from({ length: Math.floor(random() * 12) }, () => letters[Math.floor(random() * letters.length)]).join('');
      const at = Math.floor(random() * (before.length + 1));
      const cut = Math.floor(random() * (before.length - at + 1));
      const typed = Array.from({ length: Math.floor(random() * 4) }, () => letters[Math.floor(random() * letters.length)]).join('');
      const after = before.slice(0, at) + typed + before.slice(at + cut);
      const text = new Y.Doc().getText('t');
      text.insert(0, before);
      const splice = spliceOf(before, after, at + typed.length);
      if (splice) applySplice(text, splice);
      expect(text.toString(), `${before} → ${after}`).toBe(after);
    }
  });
});

describe('two people typing in one co-edited text', () => {
  it('keeps both people’s words when they type in the same field at once', () => {
    const a = new Y.Doc();
    const b = new Y.Doc();
    setText(a.getText('conclusion'), 'Viêm phổi.');
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    // Both type into the same sentence before either sees the other's words.
    setText(a.getText('conclusion'), 'Viêm phổi thùy dưới.', 'Viêm phổi thùy dưới'.length);
    setText(b.getText('conclusion'), 'Viêm phổi. Chuyển tuyến.', 'Viêm phổi. Chuyển tuyến.'.length);
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
    expect(a.getText('conclusion').toString()).toBe('Viêm phổi thùy dưới. Chuyển tuyến.');
    expect(b.getText('conclusion').toString()).toBe(a.getText('conclusion').toString());
  });
});

describe('a caret through someone else’s edit', () => {
  it('moves right past text inserted before it and left past text deleted before it, and stays put for text after it', () => {
    const insertBefore: TextDelta = [{ retain: 2 }, { insert: 'xyz' }];
    expect(movePosition(insertBefore, 5)).toBe(8);
    expect(movePosition(insertBefore, 2)).toBe(2);
    expect(movePosition(insertBefore, 1)).toBe(1);
    const deleteAcross: TextDelta = [{ retain: 3 }, { delete: 4 }];
    expect(movePosition(deleteAcross, 10)).toBe(6);
    expect(movePosition(deleteAcross, 5)).toBe(3);
    expect(movePosition([{ delete: 2 }, { insert: 'abc' }], 4)).toBe(5);
  });

  it('follows the Yjs delta of a real remote edit', () => {
    const a = new Y.Doc();
    const b = new Y.Doc();
    setText(a.getText('t'), 'Khó thở, ho.');
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    let caret = 'Khó thở, ho'.length; // b's caret, just before the full stop
    b.getText('t').observe((event) => (caret = movePosition(event.delta as TextDelta, caret)));
    setText(a.getText('t'), 'Sốt, khó thở, ho.', 5);
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    expect(b.getText('t').toString().slice(0, caret)).toBe('Sốt, khó thở, ho');
  });
});

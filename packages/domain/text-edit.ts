// Plain-text edits of a co-edited field (a Y.Text root, layouts.ts): the one splice that turns what the document
// holds into what a text box shows, and where a caret moves when someone else's edit arrives. Splices, not a
// replacement of the whole text: a replacement would delete the other person's concurrent words.
import type * as Y from 'yjs';

/** Remove `remove` characters at `index`, then insert `insert` there. */
export type Splice = { index: number; remove: number; insert: string };

const isLowSurrogate = (s: string, i: number) => {
  const c = s.charCodeAt(i);
  return c >= 0xdc00 && c <= 0xdfff;
};

/**
 * The single splice from `before` to `after`, or undefined when they are equal. `caret` is where the caret stands in
 * `after` (the end of what was typed): with a repeated character ("aa" → "aaa") it says which one is new, so that
 * the insert lands where the person typed, not elsewhere in a run. A surrogate pair (an emoji) is never split.
 */
export function spliceOf(before: string, after: string, caret = after.length): Splice | undefined {
  if (before === after) return undefined;
  // What follows the caret was not typed: the common suffix is at most that long...
  const suffixMax = Math.max(0, Math.min(before.length, after.length - Math.min(Math.max(caret, 0), after.length)));
  let end = 0;
  while (end < suffixMax && before[before.length - 1 - end] === after[after.length - 1 - end]) end++;
  // ...and the common prefix ends where the suffix starts.
  const prefixMax = Math.min(before.length - end, after.length - end);
  let start = 0;
  while (start < prefixMax && before[start] === after[start]) start++;
  // With the suffix bounded by the caret, a deletion before a matching run may leave room for more suffix.
  while (start + end < Math.min(before.length, after.length) && before[before.length - 1 - end] === after[after.length - 1 - end]) end++;
  if (start > 0 && isLowSurrogate(before, start) && isLowSurrogate(after, start)) start--;
  if (end > 0 && isLowSurrogate(before, before.length - end) && isLowSurrogate(after, after.length - end)) end--;
  return { index: start, remove: before.length - start - end, insert: after.slice(start, after.length - end) };
}

/** Applies `splice` to `text` in one transaction (one update). */
export function applySplice(text: Y.Text, splice: Splice): void {
  const apply = () => {
    if (splice.remove > 0) text.delete(splice.index, splice.remove);
    if (splice.insert) text.insert(splice.index, splice.insert);
  };
  if (text.doc) text.doc.transact(apply);
  else apply();
}

/** Makes `text` read `value` by the one splice between them (nothing written when they are equal). */
export function setText(text: Y.Text, value: string, caret?: number): void {
  const splice = spliceOf(text.toString(), value, caret);
  if (splice) applySplice(text, splice);
}

/** A Y.Text change as Yjs reports it (`YTextEvent.delta`), plain-text only. */
export type TextDelta = readonly { retain?: number; insert?: unknown; delete?: number }[];

/**
 * Where `position` (a caret or a selection end) moves through a remote change: text inserted before it pushes it
 * right, text deleted before it pulls it left; an insert exactly at it leaves it where it is (before the other
 * person's words), so the local person keeps typing where they were.
 */
export function movePosition(delta: TextDelta, position: number): number {
  // `index` runs through the text as it was before the change; `position` is in that text too.
  let index = 0;
  let moved = position;
  for (const op of delta) {
    if (index > position) break;
    if (op.retain !== undefined) index += op.retain;
    else if (op.insert !== undefined) {
      if (index < position) moved += typeof op.insert === 'string' ? op.insert.length : 1;
    } else if (op.delete !== undefined) {
      if (index < position) moved -= Math.min(op.delete, position - index);
      index += op.delete;
    }
  }
  return Math.max(0, moved);
}

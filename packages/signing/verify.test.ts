// Reading and checking signatures: two signatures in turn both intact, the second's revision only a signature's; a
// revision that also redefines a page is named; a hostile file is read in linear time (no byte range, no hang).
import { describe, expect, it } from 'vitest';
import { p12Signer, signPdf } from './sign';
import { makeTestP12, minimalPdf } from './signing.testing';
import { findSignatures, revisionProblem, verifyPdf } from './verify';

const signer = makeTestP12('Lý Thị Mai');
const sign = async (pdf: Uint8Array, field: string) => signPdf(pdf, await p12Signer(signer.file, signer.password), { reason: 'Chủ tọa', location: 'Trạm Y tế xã Y Tý', fieldName: field });
const text = (bytes: Uint8Array) => new TextDecoder('latin1').decode(bytes);

/** `pdf` with an incremental revision that redefines object `n` as `body` (a proper xref section and trailer). */
function appendRevision(pdf: Uint8Array, n: number, body: string): Uint8Array {
  const old = text(pdf);
  const prev = Number(/startxref\s+(\d+)\s+%%EOF\s*$/.exec(old)![1]);
  const size = Math.max(...[...old.matchAll(/\/Size\s+(\d+)/g)].map((m) => Number(m[1])));
  const object = `\n${n} 0 obj\n${body}\nendobj\n`;
  const xrefAt = pdf.length + object.length;
  const tail = `${object}xref\n0 1\n0000000000 65535 f \n${n} 1\n${String(pdf.length + 1).padStart(10, '0')} 00000 n \ntrailer\n<< /Size ${size} /Root 1 0 R /Prev ${prev} >>\nstartxref\n${xrefAt}\n%%EOF\n`;
  const out = new Uint8Array(pdf.length + tail.length);
  out.set(pdf);
  out.set(new TextEncoder().encode(tail), pdf.length);
  return out;
}

describe('signatures read and checked', () => {
  it('reads two signatures made in turn, both intact, the second revision a signature only', async () => {
    const first = await sign(minimalPdf(), 'chair-1');
    const second = await sign(first, 'secretary-2');
    const checks = await verifyPdf(second);
    expect(checks.map((c) => [c.intact, c.coversWhole, c.signerName])).toEqual([
      [true, false, 'Lý Thị Mai'],
      [true, true, 'Lý Thị Mai']
    ]);
    expect(findSignatures(second)[0]).toMatchObject({ reason: 'Chủ tọa', location: 'Trạm Y tế xã Y Tý' });
    expect(revisionProblem(first, second)).toBeUndefined();
  });

  it('names a revision that changes the page under a new signature, or holds a stream', async () => {
    const first = await sign(minimalPdf(), 'chair-1');
    // The page redefined (another size, say another content) in the revision a second signature then covers.
    const tampered = await sign(appendRevision(first, 3, '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 300] >>'), 'member-2');
    expect((await verifyPdf(tampered)).every((c) => c.intact)).toBe(true);
    expect(revisionProblem(first, tampered)).toBe('the new revision changes object 3 of the signed file');
    const withStream = appendRevision(first, 40, '<< /Length 5 >>\nstream\nBT ET\nendstream');
    expect(revisionProblem(first, withStream)).toBe('the new revision holds a stream');
  });

  it('reads a hostile file of 2 MiB in one pass: no byte range is taken, nothing hangs', () => {
    const unit = '/ByteRange [0 10 20 30] /M(' + '('.repeat(50);
    const hostile = new TextEncoder().encode('%PDF-1.7\n<<' + unit.repeat(Math.floor((2 * 1024 * 1024) / unit.length)));
    expect(findSignatures(hostile)).toEqual([]);
    const holes = new TextEncoder().encode('%PDF-1.7\n' + `<< /ByteRange [0 12 ${2 * 1024 * 1024 - 100} 10] /Contents <${'0'.repeat(64)}>`.repeat(1000));
    expect(findSignatures(holes)).toEqual([]);
  });
});

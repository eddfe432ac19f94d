// Signers for the tests: a self-signed certificate and its key in a PKCS#12 file, made with openssl (Debian's; the
// test command installs it) in a temporary folder. Nothing here is a real certificate authority's.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export type TestP12 = { file: Uint8Array; password: string; name: string; keyPem: string; certificate: Uint8Array };

/** A PKCS#12 file for `name` (the certificate's CN), protected by `password`. */
export function makeTestP12(name: string, password = 'mat-khau-ky-so', days = 30): TestP12 {
  const dir = mkdtempSync(path.join(tmpdir(), 'test-p12-'));
  try {
    const key = path.join(dir, 'key.pem');
    const crt = path.join(dir, 'crt.pem');
    const p12 = path.join(dir, 'signer.p12');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', crt, '-days', String(days), '-utf8', '-subj', `/CN=${name}/O=Thử nghiệm ký số/C=VN`], { stdio: 'pipe' });
    execFileSync('openssl', ['pkcs12', '-export', '-inkey', key, '-in', crt, '-out', p12, '-passout', `pass:${password}`], { stdio: 'pipe' });
    const der = execFileSync('openssl', ['x509', '-in', crt, '-outform', 'DER']);
    return { file: new Uint8Array(readFileSync(p12)), password, name, keyPem: readFileSync(key, 'utf8'), certificate: new Uint8Array(der) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A one-page PDF with a classic cross-reference table, saying `text` in its Info (for tests that sign a file). */
export function minimalPdf(text = 'Biên bản hội chẩn'): Uint8Array {
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>',
    `<< /Title <FEFF${[...text].map((ch) => ch.charCodeAt(0).toString(16).padStart(4, '0')).join('')}> >>`
  ];
  let out = '%PDF-1.7\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R /Info 4 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return new TextEncoder().encode(out);
}

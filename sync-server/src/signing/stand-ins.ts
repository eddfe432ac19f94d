// Local stand-ins for the remote signing services (providers.ts), for the tests: a CSC service that signs a hash
// once the PIN is right, and a confirm-on-phone service whose transactions wait until the test confirms or refuses
// them (the signer's phone) or they expire. Each holds one signer's key and certificate.
import { constants, privateEncrypt, randomUUID } from 'node:crypto';
import { Hono } from 'hono';

/** The DER prefix of a SHA-256 DigestInfo: the signature of a hash is PKCS#1 v1.5 over it. */
const sha256DigestInfo = Buffer.from('3031300d060960864801650304020105000420', 'hex');
const signDigest = (keyPem: string, digest: Buffer) => privateEncrypt({ key: keyPem, padding: constants.RSA_PKCS1_PADDING }, Buffer.concat([sha256DigestInfo, digest])).toString('base64');

export type StandInSigner = { keyPem: string; certificate: Uint8Array };

export function cscStandIn(o: StandInSigner & { credentialID: string; pin: string; token: string }) {
  const app = new Hono();
  const sads = new Map<string, string>();
  let signed = 0;
  app.use('*', async (c, next) => (c.req.header('authorization') === `Bearer ${o.token}` ? next() : c.json({ error: 'invalid_token', error_description: 'bad token' }, 401)));
  app.post('/csc/v1/credentials/info', async (c) => {
    const body = (await c.req.json()) as { credentialID?: string };
    if (body.credentialID !== o.credentialID) return c.json({ error: 'invalid_request', error_description: 'unknown credential' }, 400);
    return c.json({ cert: { certificates: [Buffer.from(o.certificate).toString('base64')] }, key: { algo: ['1.2.840.113549.1.1.1'] } });
  });
  app.post('/csc/v1/credentials/authorize', async (c) => {
    const body = (await c.req.json()) as { credentialID?: string; PIN?: string; hash?: string[] };
    if (body.credentialID !== o.credentialID || body.PIN !== o.pin || !body.hash?.[0]) return c.json({ error: 'invalid_pin', error_description: 'wrong PIN' }, 400);
    const sad = randomUUID();
    sads.set(sad, body.hash[0]);
    return c.json({ SAD: sad });
  });
  app.post('/csc/v1/signatures/signHash', async (c) => {
    const body = (await c.req.json()) as { SAD?: string; hash?: string[]; hashAlgo?: string };
    const hash = body.hash?.[0];
    if (!body.SAD || sads.get(body.SAD) !== hash || !hash || body.hashAlgo !== '2.16.840.1.101.3.4.2.1') return c.json({ error: 'invalid_request', error_description: 'not authorised for this hash' }, 400);
    sads.delete(body.SAD);
    signed++;
    return c.json({ signatures: [signDigest(o.keyPem, Buffer.from(hash, 'base64'))] });
  });
  return { app, signed: () => signed };
}

export function smartCaStandIn(o: StandInSigner & { userId: string; spId: string; spPassword: string }) {
  const app = new Hono();
  const transactions = new Map<string, { digest: Buffer; status: 'pending' | 'signed' | 'rejected' | 'expired' }>();
  const spOk = (body: { sp_id?: string; sp_password?: string }) => body.sp_id === o.spId && body.sp_password === o.spPassword;
  app.post('/v1/credentials/get_certificate', async (c) => {
    const body = (await c.req.json()) as { sp_id?: string; sp_password?: string; user_id?: string };
    if (!spOk(body) || body.user_id !== o.userId) return c.json({ message: 'Không tìm thấy chứng thư số' }, 400);
    return c.json({ data: { user_certificates: [{ cert_data: Buffer.from(o.certificate).toString('base64'), chain_data: [] }] } });
  });
  app.post('/v1/signatures/sign', async (c) => {
    const body = (await c.req.json()) as { sp_id?: string; sp_password?: string; user_id?: string; transaction_id?: string; sign_files?: { data_to_be_signed?: string }[] };
    const hex = body.sign_files?.[0]?.data_to_be_signed;
    if (!spOk(body) || body.user_id !== o.userId || !hex || !/^[0-9a-f]{64}$/.test(hex) || !body.transaction_id) return c.json({ message: 'Yêu cầu không hợp lệ' }, 400);
    transactions.set(body.transaction_id, { digest: Buffer.from(hex, 'hex'), status: 'pending' });
    return c.json({ data: { transaction_id: body.transaction_id } });
  });
  app.post('/v1/signatures/sign/:tx/status', async (c) => {
    const body = (await c.req.json()) as { sp_id?: string; sp_password?: string };
    const t = transactions.get(c.req.param('tx'));
    if (!spOk(body) || !t) return c.json({ message: 'Không tìm thấy giao dịch' }, 404);
    if (t.status !== 'signed') return c.json({ data: { status: t.status } });
    return c.json({ data: { status: 'signed', signatures: [{ signature_value: signDigest(o.keyPem, t.digest) }] } });
  });
  /** The signer answers on their phone (or lets it expire). */
  const answer = (status: 'signed' | 'rejected' | 'expired') => {
    for (const t of transactions.values()) if (t.status === 'pending') t.status = status;
  };
  return { app, pending: () => [...transactions.values()].filter((t) => t.status === 'pending').length, confirm: () => answer('signed'), reject: () => answer('rejected'), expire: () => answer('expired') };
}

// Configuration parsing: defaults, and a clear error naming the bad variable.
import { describe, expect, it } from 'vitest';
import { loadConfig } from './config';

describe('loadConfig', () => {
  it('defaults to embedded PGlite on port 3000, without demo accounts', () => {
    const c = loadConfig({}, '/srv/app');
    expect(c).toMatchObject({ port: 3000, host: '127.0.0.1', databaseUrl: undefined, dataDir: '/srv/app/data', seedDemo: false });
  });

  it('seeds the demo only when asked, and only on a loopback address', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://db/x' }).seedDemo).toBe(false);
    expect(loadConfig({ SEED_DEMO: 'true' }).seedDemo).toBe(true);
    expect(loadConfig({ SEED_DEMO: 'true', HOST: '::1' }).seedDemo).toBe(true);
    expect(() => loadConfig({ SEED_DEMO: 'true', HOST: '0.0.0.0' })).toThrow('SEED_DEMO=true is only allowed on a loopback HOST');
    expect(() => loadConfig({ SEED_DEMO: 'true', HOST: '192.168.1.10' })).toThrow('loopback');
  });

  it('hashes passwords at scrypt N = 2^15 unless told, and cheaper only on a demo server nothing else reaches (the tests)', () => {
    expect(loadConfig({}).passwordHashN).toBe(32_768);
    expect(loadConfig({ PASSWORD_HASH_N: '1024', SEED_DEMO: 'true' }).passwordHashN).toBe(1024);
    expect(loadConfig({ PASSWORD_HASH_N: '65536', HOST: '0.0.0.0' }).passwordHashN).toBe(65_536);
    // A real deployment often listens on loopback behind a reverse proxy: cheap hashes are refused there.
    expect(() => loadConfig({ PASSWORD_HASH_N: '1024' })).toThrow('only allowed with SEED_DEMO=true');
    expect(() => loadConfig({ PASSWORD_HASH_N: '1024', SEED_DEMO: 'true', TRUST_PROXY: 'true' })).toThrow('no TRUST_PROXY');
    expect(() => loadConfig({ PASSWORD_HASH_N: '3000' })).toThrow('power of two');
    expect(() => loadConfig({ PASSWORD_HASH_N: '512' })).toThrow('PASSWORD_HASH_N');
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT must be an integer, got "abc"'],
    [{ PORT: '70000' }, 'PORT must be between 0 and 65535, got 70000'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL must start with postgres:// or postgresql://'],
    [{ AUTH_SECRET: 'short' }, 'AUTH_SECRET must be at least 32 characters, got 5'],
    [{ SEED_DEMO: 'yes' }, 'SEED_DEMO must be true or false, got "yes"'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL must be one of debug, info, warn, error, silent, got "loud"'],
    [{ SFU: 'on' }, 'SFU must be auto, required or off, got "on"'],
    [{ SFU_PUBLIC_IP: '203.0.113.300' }, 'SFU_PUBLIC_IP must be an IPv4 address, got "203.0.113.300"'],
    [{ SFU_ICE_INTERFACE: 'eth0"; rm' }, 'SFU_ICE_INTERFACE must be interface names'],
    [{ SFU_RTP_PORTS: '40000-20000' }, 'SFU_RTP_PORTS must be two UDP ports low-high']
  ])('fails fast on %o', (env, message) => {
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('starts the SFU when Janus is installed unless SFU=off, on the interfaces and ports configured', () => {
    expect(loadConfig({}).sfu).toEqual({ mode: 'auto', iceInterface: undefined, publicIp: undefined, rtpPorts: [20000, 40000] });
    expect(loadConfig({ SFU: 'required', SFU_ICE_INTERFACE: 'eth0,10.8.', SFU_PUBLIC_IP: '203.0.113.7', SFU_RTP_PORTS: '30000-30999' }).sfu).toEqual({ mode: 'required', iceInterface: 'eth0,10.8.', publicIp: '203.0.113.7', rtpPorts: [30000, 30999] });
  });

  it('takes ICE servers for calls only from ICE_SERVERS (none by default), checked', () => {
    expect(loadConfig({}).iceServers).toEqual([]);
    const turn = { urls: ['turn:turn.ttyt.vn:3478?transport=udp', 'turns:turn.ttyt.vn:443'], username: 'tram', credential: 's3cret' };
    expect(loadConfig({ ICE_SERVERS: JSON.stringify([{ urls: 'stun:turn.ttyt.vn:3478' }, turn]) }).iceServers).toEqual([{ urls: 'stun:turn.ttyt.vn:3478' }, turn]);
    expect(() => loadConfig({ ICE_SERVERS: 'stun:x' })).toThrow('ICE_SERVERS must be a JSON array');
    expect(() => loadConfig({ ICE_SERVERS: '[{"urls":"https://x"}]' })).toThrow('urls must be stun:');
    expect(() => loadConfig({ ICE_SERVERS: '[{"urls":"turn:x:3478"}]' })).toThrow('needs a username and a credential');
  });
});

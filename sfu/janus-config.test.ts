// Janus's generated configuration: loopback only, no admin API, only the two room plugins, the deployment's ICE
// settings, no STUN server, and values that could break out of the file refused.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { janusConfigFiles, loadOrCreateSecrets, type JanusSettings } from './janus-config';

const secrets = { apiSecret: 'a'.repeat(43), tokenAuthSecret: 'b'.repeat(43), adminKey: 'c'.repeat(43), adminSecret: 'd'.repeat(43) };
const folders: Record<string, string[]> = {
  '/lib/janus/plugins': ['libjanus_videoroom.so', 'libjanus_audiobridge.so', 'libjanus_sip.so', 'libjanus_streaming.so', 'libjanus_echotest.so', 'libjanus_sip.so.1'],
  '/lib/janus/transports': ['libjanus_http.so', 'libjanus_websockets.so', 'libjanus_pfunix.so'],
  '/lib/janus/events': ['libjanus_wsevh.so'],
  '/lib/janus/loggers': ['libjanus_jsonlog.so']
};
const list = (dir: string) => folders[dir] ?? [];
const settings: JanusSettings = { configDir: '/data/sfu/conf', libDir: '/lib/janus', wsPort: 41234, rtpPorts: [20000, 40000], debugLevel: 4 };

describe('the generated Janus configuration', () => {
  it('binds the WebSocket API to loopback, turns the admin API off and loads only the VideoRoom and AudioBridge', () => {
    const files = janusConfigFiles(settings, secrets, list);
    expect(Object.keys(files).sort()).toEqual(['janus.jcfg', 'janus.plugin.audiobridge.jcfg', 'janus.plugin.videoroom.jcfg', 'janus.transport.websockets.jcfg']);
    const ws = files['janus.transport.websockets.jcfg']!;
    expect(ws).toMatch(/ws_ip = "127\.0\.0\.1"/);
    expect(ws).toMatch(/ws_port = 41234/);
    expect(ws).toMatch(/admin_ws = false/);
    const janus = files['janus.jcfg']!;
    expect(janus).toContain('disable = "libjanus_echotest.so,libjanus_sip.so,libjanus_streaming.so"');
    expect(janus).toContain('disable = "libjanus_http.so,libjanus_pfunix.so"');
    expect(janus).toContain(`api_secret = "${secrets.apiSecret}"`);
    expect(janus).toContain('token_auth = true');
    expect(janus).toContain('rtp_port_range = "20000-40000"');
    expect(janus).not.toMatch(/stun_server|ice_enforce_list|nat_1_1_mapping/);
    expect(files['janus.plugin.videoroom.jcfg']).toContain(`admin_key = "${secrets.adminKey}"`);
    expect(files['janus.plugin.videoroom.jcfg']).not.toMatch(/room-/);
  });

  it('takes the interfaces and the public address from the configuration, and refuses values that would break the file', () => {
    const janus = janusConfigFiles({ ...settings, iceEnforceList: 'eth0,10.8.', publicIp: '203.0.113.7' }, secrets, list)['janus.jcfg']!;
    expect(janus).toContain('ice_enforce_list = "eth0,10.8."');
    expect(janus).toContain('nat_1_1_mapping = "203.0.113.7"');
    expect(() => janusConfigFiles({ ...settings, iceEnforceList: 'eth0"\n}\ngeneral: {' }, secrets, list)).toThrow('SFU_ICE_INTERFACE');
    expect(() => janusConfigFiles({ ...settings, publicIp: '1.2.3' }, secrets, list)).toThrow('SFU_PUBLIC_IP');
    expect(() => janusConfigFiles({ ...settings, rtpPorts: [80, 90] }, secrets, list)).toThrow('RTP port range');
  });

  it('generates the secrets once, keeps them readable only by the server, and reuses them', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'telehealth-sfu-'));
    let calls = 0;
    const random = (n: number) => Buffer.alloc(n, ++calls);
    const first = loadOrCreateSecrets(dir, random);
    expect(new Set(Object.values(first)).size).toBe(4);
    expect(statSync(path.join(dir, 'secrets.json')).mode & 0o777).toBe(0o600);
    expect(loadOrCreateSecrets(dir, random)).toEqual(first);
    expect(JSON.parse(readFileSync(path.join(dir, 'secrets.json'), 'utf8'))).toEqual(first);
  });
});

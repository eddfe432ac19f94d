// A consultation's rooms on the SFU (Janus, started by system.ts from sfu/): a VideoRoom for video and an
// AudioBridge for the audio-only rung (one mixed stream down). The server creates them on first use with the
// plugins' admin key, each with a random secret that never leaves the server and an `allowed` list, so that Janus
// itself refuses a join without the token the server gives each admitted account (the /sfu proxy adds it).
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { JanusSocket, type JanusSecrets } from '@telehealth/sfu';
import type { Logger } from '../log';

export type SfuRoomIds = { videoRoom: number; audioRoom: number };

/** A 48-bit room id derived from the request (Janus room ids are integers; JSON numbers stay exact below 2^53). */
const roomId = (kind: string, requestId: string) => parseInt(createHash('sha256').update(`${kind}:${requestId}`).digest('hex').slice(0, 12), 16);

export const sfuRoomIds = (requestId: string): SfuRoomIds => ({ videoRoom: roomId('videoroom', requestId), audioRoom: roomId('audiobridge', requestId) });

export const sfuLimits = {
  /** Publishers in one consultation's VideoRoom. */
  publishers: 6,
  /** A publisher's video bitrate cap (REMB), the ladder's HD rung. */
  bitrate: 1_000_000
} as const;

type Handles = { socket: JanusSocket; session: number; videoroom: number; audiobridge: number; keepalive: ReturnType<typeof setInterval> };

export class SfuRooms {
  /** Each room's secret, random, per Janus run (the rooms live as long as the Janus process the server started). */
  #secrets = new Map<number, string>();
  #tokenKey = randomBytes(32);
  #handles: Promise<Handles> | undefined;
  #creating = new Map<string, Promise<SfuRoomIds>>();

  constructor(private deps: { url: string; secrets: JanusSecrets; log: Logger }) {}

  /** The token a participant's join carries (the proxy adds it; the browser never sees it). */
  tokenFor(requestId: string, userId: string): string {
    return createHmac('sha256', this.#tokenKey).update(`${requestId}\n${userId}`).digest('base64url').slice(0, 32);
  }

  /** The server's own Janus session, with one handle on each plugin, for creating rooms and admitting accounts. */
  #connect(): Promise<Handles> {
    this.#handles ??= (async () => {
      const socket = await JanusSocket.open(this.deps.url, { apiSecret: this.deps.secrets.apiSecret });
      const session = (await socket.request({ janus: 'create' })).data!.id!;
      const attach = async (plugin: string) => (await socket.request({ janus: 'attach', session_id: session, plugin })).data!.id!;
      const handles: Handles = {
        socket,
        session,
        videoroom: await attach('janus.plugin.videoroom'),
        audiobridge: await attach('janus.plugin.audiobridge'),
        keepalive: setInterval(() => void socket.request({ janus: 'keepalive', session_id: session }).catch(() => socket.close()), 25_000)
      };
      socket.onClose = () => {
        clearInterval(handles.keepalive);
        this.#handles = undefined;
      };
      return handles;
    })().catch((err: unknown) => {
      this.#handles = undefined;
      throw err;
    });
    return this.#handles;
  }

  async #plugin(plugin: 'videoroom' | 'audiobridge', body: Record<string, unknown>) {
    const h = await this.#connect();
    const reply = await h.socket.request({ janus: 'message', session_id: h.session, handle_id: h[plugin], body });
    return reply.plugindata?.data ?? {};
  }

  /** Creates the request's two rooms if this Janus run has not yet (idempotent, concurrent callers share one creation). */
  ensureRooms(requestId: string): Promise<SfuRoomIds> {
    const ids = sfuRoomIds(requestId);
    if (this.#secrets.has(ids.videoRoom) && this.#secrets.has(ids.audioRoom)) return Promise.resolve(ids);
    let creating = this.#creating.get(requestId);
    if (!creating) {
      creating = this.#create(ids).finally(() => this.#creating.delete(requestId));
      this.#creating.set(requestId, creating);
    }
    return creating;
  }

  async #create(ids: SfuRoomIds): Promise<SfuRoomIds> {
    const adminKey = this.deps.secrets.adminKey;
    // No patient data in a room's description: Janus logs it.
    const common = { request: 'create', admin_key: adminKey, is_private: true, permanent: false, allowed: [] as string[] };
    if (!this.#secrets.has(ids.videoRoom)) {
      const secret = randomBytes(24).toString('base64url');
      await this.#plugin('videoroom', {
        ...common,
        room: ids.videoRoom,
        secret,
        description: `consultation ${ids.videoRoom}`,
        publishers: sfuLimits.publishers,
        bitrate: sfuLimits.bitrate,
        fir_freq: 10,
        audiocodec: 'opus',
        videocodec: 'vp8',
        opus_fec: true,
        opus_dtx: true,
        notify_joining: true,
        // Recording is the server's to switch (`record`), only once everyone consented (calls/recording.ts).
        lock_record: true
      });
      this.#secrets.set(ids.videoRoom, secret);
    }
    if (!this.#secrets.has(ids.audioRoom)) {
      const secret = randomBytes(24).toString('base64url');
      await this.#plugin('audiobridge', { ...common, room: ids.audioRoom, secret, description: `consultation ${ids.audioRoom}`, sampling_rate: 16_000, audiolevel_event: false });
      this.#secrets.set(ids.audioRoom, secret);
    }
    this.deps.log.info('sfu.rooms_created', ids);
    return ids;
  }

  /** Lets an account into the request's rooms: its token goes on both `allowed` lists. Returns the token. */
  async admit(requestId: string, userId: string): Promise<{ rooms: SfuRoomIds; token: string }> {
    const rooms = await this.ensureRooms(requestId);
    const token = this.tokenFor(requestId, userId);
    const allowed = (room: number) => ({ request: 'allowed', room, secret: this.#secrets.get(room), action: 'add', allowed: [token] });
    await this.#plugin('videoroom', allowed(rooms.videoRoom));
    await this.#plugin('audiobridge', allowed(rooms.audioRoom));
    return { rooms, token };
  }

  /**
   * Records every publisher of the request's VideoRoom into `dir` (one .mjr file per stream, Janus's
   * `videoroom-<room>-user-<id>-<time>-<audio|video>-<index>.mjr`), or stops (`dir` undefined): publishers that come
   * later are recorded too while it is on. The room must exist (someone joined it).
   */
  async record(requestId: string, dir: string | undefined) {
    const room = sfuRoomIds(requestId).videoRoom;
    const secret = this.#secrets.get(room);
    if (!secret) throw new Error('no such room in this Janus run');
    if (dir) await this.#checked('videoroom', { request: 'edit', room, secret, new_rec_dir: dir });
    await this.#checked('videoroom', { request: 'enable_recording', room, secret, record: dir !== undefined });
  }

  async #checked(plugin: 'videoroom' | 'audiobridge', body: Record<string, unknown>) {
    const data = await this.#plugin(plugin, body);
    if (typeof data.error_code === 'number') throw new Error(`Janus ${plugin} ${String(body.request)}: ${String(data.error_code)} ${String(data.error ?? '')}`);
    return data;
  }

  /** The participants Janus has in the request's VideoRoom (for tests and presence). */
  async participants(requestId: string): Promise<{ id: number; display?: string; publisher: boolean }[]> {
    const data = await this.#plugin('videoroom', { request: 'listparticipants', room: sfuRoomIds(requestId).videoRoom });
    return (data.participants as { id: number; display?: string; publisher: boolean }[] | undefined) ?? [];
  }

  async close() {
    const handles = await this.#handles?.catch(() => undefined);
    if (handles) {
      clearInterval(handles.keepalive);
      handles.socket.close();
    }
    this.#handles = undefined;
  }
}

// A rung's sender settings (`senderSettings` of `@telehealth/domain/calls`) applied to a connection's senders:
// video on or off, its bitrate, resolution and frame rate; the audio bitrate. No renegotiation: the call stays up.
// The call screen (call.svelte.ts) and the calls benchmark (bench/calls) both use it.
import type { SenderSettings } from '@telehealth/domain/calls';

export async function applySenderSettings(pc: RTCPeerConnection, s: SenderSettings) {
  for (const sender of pc.getSenders()) {
    const kind = sender.track?.kind;
    if (!kind) continue;
    const params = sender.getParameters();
    if (!params.encodings?.length) continue;
    const e = params.encodings[0]!;
    if (kind === 'video') {
      e.active = s.video.active;
      if (s.video.maxBitrateBps !== undefined) e.maxBitrate = s.video.maxBitrateBps;
      if (s.video.scaleResolutionDownBy !== undefined) e.scaleResolutionDownBy = s.video.scaleResolutionDownBy;
      if (s.video.maxFramerate !== undefined) e.maxFramerate = s.video.maxFramerate;
    } else {
      e.maxBitrate = s.audio.maxBitrateBps;
    }
    await sender.setParameters(params).catch(() => undefined);
  }
}

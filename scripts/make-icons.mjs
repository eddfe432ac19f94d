// Draws the app icons (a white cross on green) as PNGs with no image library; run once, output committed.
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (buf) => {
  let c = 0xffffffff;
  for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
const chunk = (type, data) => {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
};

/** `inset` is the share of the size kept clear around the cross (maskable icons need a safe zone). */
function icon(size, { rounded, inset }) {
  const raw = Buffer.alloc((size * 4 + 1) * size);
  const r = rounded ? size * 0.18 : 0;
  const arm = size * (1 - 2 * inset) * 0.22;
  const len = size * (1 - 2 * inset) * 0.62;
  const c = size / 2;
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0;
    for (let x = 0; x < size; x++) {
      const dx = Math.max(r - x, x - (size - 1 - r), 0);
      const dy = Math.max(r - y, y - (size - 1 - r), 0);
      const inside = dx * dx + dy * dy <= r * r;
      const cross = (Math.abs(x - c) < arm / 2 && Math.abs(y - c) < len / 2) || (Math.abs(y - c) < arm / 2 && Math.abs(x - c) < len / 2);
      const o = y * (size * 4 + 1) + 1 + x * 4;
      const [R, G, B, A] = !inside ? [0, 0, 0, 0] : cross ? [255, 255, 255, 255] : [11, 110, 79, 255];
      raw[o] = R; raw[o + 1] = G; raw[o + 2] = B; raw[o + 3] = A;
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; ihdr[9] = 6; ihdr[10] = 0; ihdr[11] = 0; ihdr[12] = 0;
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw, { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
}

writeFileSync('static/icons/icon-192.png', icon(192, { rounded: true, inset: 0.08 }));
writeFileSync('static/icons/icon-512.png', icon(512, { rounded: true, inset: 0.08 }));
writeFileSync('static/icons/maskable-512.png', icon(512, { rounded: false, inset: 0.2 }));

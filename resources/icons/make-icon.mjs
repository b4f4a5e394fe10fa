// Draws the application icon (resources/icons/icon.png, 512×512): the cross-section of a long
// bone — a white cortical ring on a dark field — with a wedge of the ring missing (a lytic
// lesion), the thing the app measures. Plain Node (zlib + hand-written PNG chunks), no assets.
// electron-builder derives the Windows .ico and macOS .icns from this PNG.
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

const SIZE = 512;
const SUB = 4; // 4×4 supersampling for smooth edges

function crc32(buf) {
  let c = ~0;
  for (const b of buf) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/** Colour of a point (x, y in 0..1): rounded dark square, ring with a gap, marrow tint. */
function shade(x, y) {
  const cx = x - 0.5;
  const cy = y - 0.5;
  const corner = 0.11;
  const qx = Math.max(Math.abs(cx) - (0.5 - corner), 0);
  const qy = Math.max(Math.abs(cy) - (0.5 - corner), 0);
  if (Math.hypot(qx, qy) > corner) return null; // transparent outside the rounded square
  const r = Math.hypot(cx / 1.0, cy / 0.86); // slightly elliptic, like a femoral shaft
  const angle = (Math.atan2(cy, cx) * 180) / Math.PI; // -180..180
  const inLesion = angle > -70 && angle < -20;
  if (r >= 0.27 && r <= 0.36) return inLesion ? [214, 72, 58] : [238, 236, 228];
  if (r < 0.27) return [72, 58, 52];
  return [22, 26, 33];
}

const raw = Buffer.alloc((SIZE * 4 + 1) * SIZE);
for (let py = 0; py < SIZE; py++) {
  raw[py * (SIZE * 4 + 1)] = 0; // filter: none
  for (let px = 0; px < SIZE; px++) {
    let r = 0, g = 0, b = 0, a = 0;
    for (let sy = 0; sy < SUB; sy++)
      for (let sx = 0; sx < SUB; sx++) {
        const c = shade((px + (sx + 0.5) / SUB) / SIZE, (py + (sy + 0.5) / SUB) / SIZE);
        if (!c) continue;
        r += c[0]; g += c[1]; b += c[2]; a++;
      }
    const o = py * (SIZE * 4 + 1) + 1 + px * 4;
    if (a) {
      raw[o] = Math.round(r / a); raw[o + 1] = Math.round(g / a); raw[o + 2] = Math.round(b / a);
    }
    raw[o + 3] = Math.round((255 * a) / (SUB * SUB));
  }
}
const ihdr = Buffer.alloc(13);
ihdr.writeUInt32BE(SIZE, 0);
ihdr.writeUInt32BE(SIZE, 4);
ihdr[8] = 8; ihdr[9] = 6; // 8-bit RGBA
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', ihdr),
  chunk('IDAT', deflateSync(raw, { level: 9 })),
  chunk('IEND', Buffer.alloc(0)),
]);
const out = join(dirname(fileURLToPath(import.meta.url)), 'icon.png');
writeFileSync(out, png);
process.stdout.write(`${out} (${png.length} bytes)\n`);

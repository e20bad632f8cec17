/**
 * Draws the app icons (PNG) with no image library: a white "Q" (a ring and a tail) on QueueCrew indigo.
 * `node scripts/make-icons.mjs` writes apps/web/public/icons/*.png (committed; rerun after a change).
 *
 * - icon-192.png, icon-512.png: rounded square, transparent corners ("any" purpose).
 * - maskable-512.png: full-bleed background, the glyph inside the central 80 % safe zone ("maskable").
 */
import { writeFileSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

const OUT = resolve(dirname(fileURLToPath(import.meta.url)), '../apps/web/public/icons');
const BG = [0x43, 0x38, 0xca]; // indigo-700
const FG = [0xff, 0xff, 0xff];

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}
function png(size, rgba) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // RGBA
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y += 1) {
    raw[y * (size * 4 + 1)] = 0; // filter: none
    rgba.copy(raw, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** Coordinates in 0..1. Is (x, y) inside the background shape / the glyph? */
function roundedSquare(x, y, r) {
  const cx = Math.min(Math.max(x, r), 1 - r);
  const cy = Math.min(Math.max(y, r), 1 - r);
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
}
function glyph(x, y, scale) {
  // Centre the glyph, scaled into the safe zone.
  const u = (x - 0.5) / scale;
  const v = (y - 0.5) / scale;
  const d = Math.hypot(u, v);
  const ring = d <= 0.36 && d >= 0.22;
  // The tail: a thick segment from inside the ring towards the lower right.
  const ax = 0.08,
    ay = 0.1,
    bx = 0.4,
    by = 0.42;
  const t = Math.max(0, Math.min(1, ((u - ax) * (bx - ax) + (v - ay) * (by - ay)) / ((bx - ax) ** 2 + (by - ay) ** 2)));
  const tail = Math.hypot(u - (ax + t * (bx - ax)), v - (ay + t * (by - ay))) <= 0.075;
  return ring || tail;
}

function draw(size, { maskable }) {
  const rgba = Buffer.alloc(size * size * 4);
  const S = 4; // 4×4 supersampling for smooth edges
  for (let py = 0; py < size; py += 1) {
    for (let px = 0; px < size; px += 1) {
      let bg = 0;
      let fg = 0;
      for (let sy = 0; sy < S; sy += 1) {
        for (let sx = 0; sx < S; sx += 1) {
          const x = (px + (sx + 0.5) / S) / size;
          const y = (py + (sy + 0.5) / S) / size;
          const inBg = maskable || roundedSquare(x, y, 0.2);
          if (!inBg) continue;
          if (glyph(x, y, maskable ? 0.6 : 1)) fg += 1;
          else bg += 1;
        }
      }
      const n = S * S;
      const alpha = (bg + fg) / n;
      const i = (py * size + px) * 4;
      const mix = bg + fg === 0 ? 0 : fg / (bg + fg);
      for (let c = 0; c < 3; c += 1) rgba[i + c] = Math.round(BG[c] * (1 - mix) + FG[c] * mix);
      rgba[i + 3] = Math.round(alpha * 255);
    }
  }
  return png(size, rgba);
}

mkdirSync(OUT, { recursive: true });
writeFileSync(resolve(OUT, 'icon-192.png'), draw(192, { maskable: false }));
writeFileSync(resolve(OUT, 'icon-512.png'), draw(512, { maskable: false }));
writeFileSync(resolve(OUT, 'maskable-512.png'), draw(512, { maskable: true }));
console.log(`icons written to ${OUT}`);

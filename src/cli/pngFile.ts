/** A minimal PNG writer (8-bit RGBA, no filtering) for the CLI's pictures; Node's zlib does the compression. */
import { deflateSync } from "node:zlib";

const CRC_TABLE = Int32Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c;
});

function crc32(bytes: Uint8Array): number {
  let c = -1;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 255]! ^ (c >>> 8);
  return (c ^ -1) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/** PNG bytes of a width x height RGBA image (rows top first), each pixel drawn as a scale x scale block. */
export function encodePng(rgba: Uint8Array | Uint8ClampedArray, width: number, height: number, scale = 1): Buffer {
  const W = width * scale, H = height * scale;
  const raw = Buffer.alloc(H * (1 + W * 4));
  for (let y = 0; y < H; y++) {
    const src = Math.floor(y / scale) * width;
    const row = y * (1 + W * 4); // filter byte 0 (none), then the row
    for (let x = 0; x < W; x++) {
      const p = (src + Math.floor(x / scale)) * 4, o = row + 1 + x * 4;
      raw[o] = rgba[p]!; raw[o + 1] = rgba[p + 1]!; raw[o + 2] = rgba[p + 2]!; raw[o + 3] = rgba[p + 3]!;
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(W, 0);
  header.writeUInt32BE(H, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // RGBA
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk("IHDR", header), chunk("IDAT", deflateSync(raw)), chunk("IEND", Buffer.alloc(0))]);
}

/** Reading recorded clips back: demuxed in Node with mediabunny, the frames decoded in the page with WebCodecs. */
import type { Page } from "@playwright/test";
import { ALL_FORMATS, BufferSource, EncodedPacketSink, Input } from "mediabunny";
export interface Demuxed {
  codec: string | null;
  width: number;
  height: number;
  duration: number;
  config: Omit<VideoDecoderConfig, "description"> & { description?: number[] };
  packets: { data: number[]; timestamp: number; duration: number; key: boolean }[];
}

export async function demux(bytes: Uint8Array): Promise<Demuxed> {
  const input = new Input({ source: new BufferSource(bytes), formats: ALL_FORMATS });
  const track = await input.getPrimaryVideoTrack();
  if (!track) throw new Error("no video track");
  const config = (await track.getDecoderConfig())!;
  const packets: Demuxed["packets"] = [];
  for await (const p of new EncodedPacketSink(track).packets()) packets.push({ data: [...p.data], timestamp: p.timestamp, duration: p.duration, key: p.type === "key" });
  const desc = config.description;
  const description = !desc ? undefined : ArrayBuffer.isView(desc) ? [...new Uint8Array(desc.buffer, desc.byteOffset, desc.byteLength)] : [...new Uint8Array(desc as ArrayBuffer)];
  return {
    codec: track.codec,
    width: track.displayWidth,
    height: track.displayHeight,
    duration: await input.computeDuration(),
    config: { ...config, description },
    packets,
  };
}

/**
 * Decodes all packets in the page; returns the frame count and the share of differing pixels, first vs last, with
 * `keepLast` the last frame's RGBA pixels, and in `kept` those of the frames numbered in `keep`.
 */
export function decodeInPage(page: Page, d: Demuxed, keepLast = false, keep: number[] = []): Promise<{ frames: number; diff: number; width: number; height: number; last?: number[]; kept: number[][] }> {
  return page.evaluate(async ([d, keepLast, keep]) => {
    const frames: ImageData[] = [];
    let error: unknown = null;
    const toPixels = (f: VideoFrame) => {
      const c = document.createElement("canvas");
      c.width = f.displayWidth;
      c.height = f.displayHeight;
      const g = c.getContext("2d", { willReadFrequently: true })!;
      g.drawImage(f, 0, 0);
      f.close();
      return g.getImageData(0, 0, c.width, c.height);
    };
    const dec = new VideoDecoder({ output: (f) => frames.push(toPixels(f)), error: (e) => { error = e; } });
    const cfg = { ...d.config, description: d.config.description ? new Uint8Array(d.config.description) : undefined };
    dec.configure(cfg as VideoDecoderConfig);
    for (const p of d.packets) {
      dec.decode(new EncodedVideoChunk({ type: p.key ? "key" : "delta", timestamp: Math.round(p.timestamp * 1e6), duration: Math.round(p.duration * 1e6), data: new Uint8Array(p.data) }));
    }
    await dec.flush();
    if (error) throw new Error(String(error));
    const a = frames[0]!.data, b = frames[frames.length - 1]!.data;
    let differ = 0;
    for (let k = 0; k < a.length; k += 4) if (Math.abs(a[k]! - b[k]!) + Math.abs(a[k + 1]! - b[k + 1]!) + Math.abs(a[k + 2]! - b[k + 2]!) > 48) differ++;
    const kept = keep.map((n) => Array.from(frames[n]!.data));
    return { frames: frames.length, diff: differ / (a.length / 4), width: frames[0]!.width, height: frames[0]!.height, kept, ...(keepLast ? { last: Array.from(b) } : {}) };
  }, [d, keepLast, keep] as const);
}

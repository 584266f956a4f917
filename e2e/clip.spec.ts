/**
 * Clip recording: a 1-second 12 fps clip at 240 px downloads with a descriptive name, and decoded back (demuxed
 * in Node with mediabunny, the frames decoded in the page with WebCodecs) it has the codec, size and frame count
 * asked for, and its frames change over time.
 */
import { readFileSync } from "node:fs";
import { expect, test, type Page } from "@playwright/test";
import { ALL_FORMATS, BufferSource, EncodedPacketSink, Input } from "mediabunny";

interface Demuxed {
  codec: string | null;
  width: number;
  height: number;
  duration: number;
  config: Omit<VideoDecoderConfig, "description"> & { description?: number[] };
  packets: { data: number[]; timestamp: number; duration: number; key: boolean }[];
}

async function demux(bytes: Uint8Array): Promise<Demuxed> {
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

/** Decodes all packets in the page; returns the frame count and the share of differing pixels, first vs last. */
function decodeInPage(page: Page, d: Demuxed): Promise<{ frames: number; diff: number; width: number; height: number }> {
  return page.evaluate(async (d) => {
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
    return { frames: frames.length, diff: differ / (a.length / 4), width: frames[0]!.width, height: frames[0]!.height };
  }, d);
}

test("a clip records frame-exact at a fixed frame rate and decodes back", async ({ page }, info) => {
  test.setTimeout(300_000);
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto("/?nx=32&ny=32");
  await expect(page.getByTestId("play")).toBeEnabled({ timeout: 90_000 });
  await page.getByText("Record a clip").click();
  await page.getByTestId("clip-seconds").fill("1");
  await page.getByTestId("clip-fps").selectOption("12");
  await page.getByTestId("clip-height").selectOption("240");
  await page.getByTestId("clip-steps").fill("2");
  const record = page.getByTestId("clip-record");
  await expect(record).toBeEnabled({ timeout: 30_000 });
  const formats: ("webm" | "mp4")[] = ["webm"];
  if ((await page.getByTestId("clip-unsupported-mp4").count()) === 0) formats.push("mp4");
  else info.annotations.push({ type: "skip-mp4", description: (await page.getByTestId("clip-unsupported-mp4").textContent()) ?? "" });
  expect(await page.getByTestId("clip-unsupported-webm").count()).toBe(0);
  for (const format of formats) {
    await page.getByTestId("clip-format").selectOption(format);
    const [download] = await Promise.all([page.waitForEvent("download", { timeout: 180_000 }), record.click()]);
    expect(download.suggestedFilename()).toMatch(new RegExp(`^zinc-[\\w-]+-32x32-seed\\d+-t\\d+-\\d+s-12fps\\.${format}$`));
    const path = info.outputPath(download.suggestedFilename());
    await download.saveAs(path);
    await expect(page.getByTestId("clip-message")).toContainText("12 frames");
    const d = await demux(new Uint8Array(readFileSync(path)));
    expect(d.codec).toBe(format === "mp4" ? "avc" : "vp9");
    expect(d.height).toBe(240);
    expect(d.width).toBe(240); // a 32 × 32 field is square
    expect(d.packets.length).toBe(12);
    expect(d.duration).toBeCloseTo(1, 2);
    d.packets.forEach((p, n) => expect(p.timestamp).toBeCloseTo(n / 12, 3));
    const decoded = await decodeInPage(page, d);
    expect(decoded.frames).toBe(12);
    expect(decoded.width).toBe(240);
    expect(decoded.height).toBe(240);
    expect(decoded.diff).toBeGreaterThan(0); // the time caption alone changes; the deposit grows too
    await info.attach(`clip ${format}`, { path, contentType: format === "mp4" ? "video/mp4" : "video/webm" });
  }
  // Cancel: a long clip stops part-way and no file is saved.
  await page.getByTestId("clip-format").selectOption("webm");
  await page.getByTestId("clip-seconds").fill("60");
  await record.click();
  await expect(page.getByTestId("clip-progress")).toBeVisible();
  await page.getByTestId("clip-cancel").click();
  await expect(page.getByTestId("clip-message")).toContainText("cancelled", { timeout: 60_000 });
  expect(errors).toEqual([]);
});

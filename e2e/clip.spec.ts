/**
 * Clip recording: a 1-second 12 fps clip at 240 px downloads with a descriptive name, and decoded back (demuxed
 * in Node with mediabunny, the frames decoded in the page with WebCodecs) it has the codec, size and frame count
 * asked for, and its frames change over time.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { expect, test, type Page } from "@playwright/test";
import { clipLayout, clipSize } from "../src/ui/sim/recordClip.ts";
import { titleCardLayout, titleCardOf, titleFrames } from "../src/ui/sim/clipCard.ts";
import { presetScenario } from "../src/model/scenario.ts";
import { crop, growDeposit, staircase } from "./outline.ts";
import type { Image } from "./png.ts";
import { decodeInPage, demux } from "./video.ts";

/** The field view's recorder opened and set to a 1 s, 12 fps, 240 px clip of `steps` steps a frame, in `format`. */
async function openRecorder(page: Page, steps: number, format?: "webm" | "mp4") {
  await expect(page.getByTestId("play")).toBeEnabled({ timeout: 90_000 });
  await page.getByTestId("clip-recorder").locator("summary").click();
  await page.getByTestId("clip-seconds").fill("1");
  await page.getByTestId("clip-fps").selectOption("12");
  await page.getByTestId("clip-height").selectOption("240");
  await page.getByTestId("clip-steps").fill(String(steps));
  if (format) await page.getByTestId("clip-format").selectOption(format);
  const record = page.getByTestId("clip-record");
  await expect(record).toBeEnabled({ timeout: 30_000 });
  return record;
}

test("a clip records frame-exact at a fixed frame rate and decodes back", { tag: "@fast" }, async ({ page }, info) => {
  test.setTimeout(300_000);
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto("/?nx=32&ny=32&dx_um=1");
  const record = await openRecorder(page, 2);
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
    // A 32 × 32 field is square: the clip as wide as the field's height between the captions (two metrics).
    expect(d.width).toBe(clipSize(32, 32, 240, 1, 2).width);
    expect(d.width).toBeLessThan(240);
    expect(d.packets.length).toBe(12);
    expect(d.duration).toBeCloseTo(1, 2);
    d.packets.forEach((p, n) => expect(p.timestamp).toBeCloseTo(n / 12, 3));
    const decoded = await decodeInPage(page, d);
    expect(decoded.frames).toBe(12);
    expect(decoded.width).toBe(d.width);
    expect(decoded.height).toBe(240);
    expect(decoded.diff).toBeGreaterThan(0); // the time caption alone changes; the deposit grows too
    await info.attach(`clip ${format}`, { path, contentType: format === "mp4" ? "video/mp4" : "video/webm" });
  }
  // Recording a running run pauses it for the clip, and it plays on once the clip is saved.
  await page.getByTestId("clip-format").selectOption("webm");
  await page.getByTestId("play").click();
  await expect(page.getByTestId("play")).toHaveText("Pause");
  await Promise.all([page.waitForEvent("download", { timeout: 180_000 }), record.click()]);
  await expect(page.getByTestId("play")).toHaveText("Pause");
  await page.getByTestId("play").click();
  await expect(page.getByTestId("play")).toHaveText("Play");
  // Cancel: a long clip stops part-way and no file is saved.
  await page.getByTestId("clip-format").selectOption("webm");
  await page.getByTestId("clip-seconds").fill("60");
  await record.click();
  await expect(page.getByTestId("clip-progress")).toBeVisible();
  await page.getByTestId("clip-cancel").click();
  await expect(page.getByTestId("clip-message")).toContainText("cancelled", { timeout: 60_000 });

  // The length can be emptied and retyped (it once snapped to 1 when emptied, so "2" became 12); a value out of
  // range is refused with a message, and the box shows the length that applies.
  const secs = page.getByTestId("clip-seconds");
  const fps = Number(await page.getByTestId("clip-fps").inputValue());
  await secs.fill("");
  await secs.pressSequentially("2");
  await expect(secs).toHaveValue("2");
  await expect(page.getByTestId("clip-recorder")).toContainText(`${2 * fps} frames of`);
  await secs.fill("500");
  await secs.press("Enter");
  await expect(page.getByTestId("clip-input-error")).toContainText("The length must be a whole number from 1 to 120 s");
  await expect(secs).toHaveValue("2");
  await secs.fill("3");
  await expect(page.getByTestId("clip-input-error")).toBeHidden();
  expect(errors).toEqual([]);
});

test("a clip that would run past the run's end stops at it and says so; a finished run offers no still clip", async ({ page }) => {
  test.setTimeout(300_000);
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  // 20 s in 10 samples of 2 s: the time step 2 s (10 steps). A 1 s clip at 12 fps of 2 steps a frame wants 22 steps.
  await page.goto("/?nx=32&ny=32&dx_um=1&duration_s=20&samples=10");
  const record = await openRecorder(page, 2, "webm");
  const [download] = await Promise.all([page.waitForEvent("download", { timeout: 180_000 }), record.click()]);
  // Frame 0 is t = 0, then 2 steps (4 s) a frame: the run's last step (t = 20 s) is frame 5, the clip's last.
  expect(download.suggestedFilename()).toMatch(/-t0-20s-12fps\.webm$/);
  await expect(page.getByTestId("clip-message")).toContainText("6 frames");
  await expect(page.getByTestId("clip-message")).toContainText("the run ended at t = 20 s, so the clip ends there");
  const d = await demux(new Uint8Array(readFileSync((await download.path())!)));
  expect(d.packets.length).toBe(6);
  // The run is done: Play and Record are off, and the recorder says how to go on.
  await expect(page.getByTestId("run-status")).toContainText("done");
  await expect(page.getByTestId("play")).toBeDisabled();
  await expect(record).toBeDisabled();
  await expect(page.getByTestId("clip-done")).toContainText("raise its duration");
  expect(errors).toEqual([]);
});

/**
 * A decoded clip frame of a grown deposit: the captions sit above and below the field, never on it (from the
 * pixels: the rows that show the field, electrolyte or metal across the frame, are as many as the square field is
 * wide, and hold no pixel of the captions' dark band), and the field's outline shows no staircase (e2e/outline.ts).
 */
test("a clip frame: captions above and below the field, none over it, and the deposit's outline without a staircase", async ({ page }, info) => {
  test.setTimeout(400_000);
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await growDeposit(page);
  const record = await openRecorder(page, 1, "webm");
  await page.getByTestId("clip-height").selectOption("720");
  const [download] = await Promise.all([page.waitForEvent("download", { timeout: 240_000 }), record.click()]);
  const path = info.outputPath(download.suggestedFilename());
  await download.saveAs(path);
  const d = await demux(new Uint8Array(readFileSync(path)));
  const decoded = await decodeInPage(page, d, true);
  const frame: Image = { width: decoded.width, height: decoded.height, channels: 4, data: Uint8Array.from(decoded.last!) };
  const px = (x: number, y: number) => Array.from(frame.data.subarray((y * frame.width + x) * 4, (y * frame.width + x) * 4 + 3));
  // The field's colours on the deposit layer: electrolyte (blue to teal, blue above red) or silver metal.
  const fieldColour = ([r, g, b]: number[]) => (b! > 60 && b! > r! + 20) || (r! > 150 && g! > 150 && b! > 150);
  // The captions' band: near black.
  const captionDark = ([r, g, b]: number[]) => Math.max(r!, g!, b!) < 45;
  const fieldRows: number[] = [];
  for (let y = 0; y < frame.height; y++) {
    let n = 0;
    for (let x = 0; x < frame.width; x++) if (fieldColour(px(x, y))) n++;
    if (n >= 0.9 * frame.width) fieldRows.push(y);
  }
  const first = fieldRows[0]!, last = fieldRows.at(-1)!;
  info.annotations.push({ type: "clip frame", description: `${frame.width} x ${frame.height}: field rows ${first} to ${last} (${fieldRows.length})` });
  // The whole square field shows (as many rows as the frame is wide, give or take the codec's edge), in one block.
  expect(fieldRows.length).toBeGreaterThanOrEqual(frame.width - 3);
  expect(last - first + 1).toBe(fieldRows.length);
  let dark = 0;
  for (let y = first; y <= last; y++) for (let x = 0; x < frame.width; x++) if (captionDark(px(x, y))) dark++;
  expect(dark, "caption pixels over the field").toBe(0);
  // Above and below it, the captions (the time on top; the scale bar, legend and metrics below).
  const { top, bottom } = clipLayout(frame.height, 2);
  expect(first).toBeGreaterThanOrEqual(top - 2);
  expect(frame.height - 1 - last).toBeGreaterThanOrEqual(bottom - 2);
  const s = staircase(crop(frame, 0, first, frame.width, fieldRows.length), frame.width / 64);
  info.annotations.push({ type: "clip outline", description: JSON.stringify(s) });
  expect(s.bottom - s.top).toBeGreaterThan(frame.width / 64);
  expect(s.flat).toBeLessThanOrEqual(3);
  expect(s.walls).toBeLessThanOrEqual(3);
  expect(errors).toEqual([]);
});

/**
 * Issue 26, item 6: clips at 16:9 as well as in the field's own shape. A 240 px clip of a square field is then
 * 426 × 240 px, the field square and centred between black margins, the captions above and below it.
 */
test("a 16:9 clip: 426 x 240 px, the square field centred between black margins, no caption over it", async ({ page }, info) => {
  test.setTimeout(300_000);
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto("/?nx=32&ny=32&dx_um=1");
  const record = await openRecorder(page, 1, "webm");
  await page.getByTestId("clip-shape").selectOption("16:9");
  await expect(page.getByTestId("clip-recorder")).toContainText("frames of 426 × 240 px");
  const [download] = await Promise.all([page.waitForEvent("download", { timeout: 180_000 }), record.click()]);
  const path = info.outputPath(download.suggestedFilename());
  await download.saveAs(path);
  const d = await demux(new Uint8Array(readFileSync(path)));
  expect([d.width, d.height]).toEqual([426, 240]);
  expect(clipSize(32, 32, 240, 1, 2, "16:9")).toEqual({ width: 426, height: 240 });
  const decoded = await decodeInPage(page, d, true);
  const frame: Image = { width: decoded.width, height: decoded.height, channels: 4, data: Uint8Array.from(decoded.last!) };
  const px = (x: number, y: number) => Array.from(frame.data.subarray((y * frame.width + x) * 4, (y * frame.width + x) * 4 + 3));
  const dark = ([r, g, b]: number[]) => Math.max(r!, g!, b!) < 45;
  // The field's columns in the middle row of the field band: not dark (electrolyte teal or silver metal).
  const { top, fieldH } = clipLayout(240, 2);
  const mid = Math.round(top + fieldH / 2);
  const cols: number[] = [];
  for (let x = 0; x < frame.width; x++) if (!dark(px(x, mid))) cols.push(x);
  const left = cols[0]!, right = frame.width - 1 - cols.at(-1)!;
  console.log(`16:9 frame ${frame.width} x ${frame.height}: field band ${fieldH} px high, field columns ${left} to ${cols.at(-1)} (${cols.length}), margins ${left} and ${right} px`);
  expect(Math.abs(cols.length - fieldH)).toBeLessThanOrEqual(3); // square: as wide as it is high
  expect(cols.at(-1)! - left + 1).toBe(cols.length); // one block
  expect(Math.abs(left - right)).toBeLessThanOrEqual(3); // centred
  // No caption pixel over the field: every pixel of its box is field colour.
  let over = 0;
  for (let y = top + 2; y < top + fieldH - 2; y++) for (let x = left + 2; x <= cols.at(-1)! - 2; x++) if (dark(px(x, y))) over++;
  expect(over, "dark caption pixels over the field").toBe(0);
  expect(errors).toEqual([]);
});

/** Issue 24: the recorder records a protocol run, its caption naming the cycle and the step as the run moves on. */
test("a clip of a symmetric protocol run has its frames and a caption that names the cycle and step", async ({ page }) => {
  test.setTimeout(300_000);
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  // 20 mA/cm2, 0.01 mAh/cm2 (1.8 s a half-cycle), 3 cycles: 12 frames of 4 steps (t 0 to ~2.6 s) cross from plating into stripping.
  await page.goto("/?nx=32&ny=32&dx_um=1&protocol=symmetric&protocol.current_mA_cm2=20&protocol.capacity_mAh_cm2=0.01&cycles=3");
  const record = await openRecorder(page, 4, "webm");
  const [download] = await Promise.all([page.waitForEvent("download", { timeout: 180_000 }), record.click()]);
  const message = page.getByTestId("clip-message");
  await expect(message).toContainText(/\d+ frames/);
  const text = (await message.textContent())!;
  console.log(`protocol clip: ${text}`);
  expect(text).toMatch(/captioned from "[^"]*" to "[^"]* · cycle 1, stripping"/);
  const frames = Number(/(\d+) frames/.exec(text)![1]);
  const d = await demux(new Uint8Array(readFileSync((await download.path())!)));
  expect(d.packets.length).toBe(frames);
  expect(frames).toBeGreaterThan(1);
  expect(errors).toEqual([]);
});

/**
 * Issue 26, item 5: a clip may open with a title card (TITLE_CARD_SECONDS of frames before the run's), and its
 * captions are drawn at the video's own resolution, in type sized for it: the caption's letters are twice as tall in
 * a 480 px clip as in a 240 px one (not a small canvas scaled up).
 */
test("a clip opens with a title card when asked, and its caption's type scales with the video's height", async ({ page }, info) => {
  test.setTimeout(300_000);
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto("/?nx=32&ny=32&dx_um=1");
  const record = await openRecorder(page, 1, "webm");
  const card = titleFrames(12, true);
  await page.getByTestId("clip-title-card").check();
  await expect(page.getByTestId("clip-recorder")).toContainText(`12 frames (and ${card} of the title card) of`);
  const clip = async (keep: number[]) => {
    const [download] = await Promise.all([page.waitForEvent("download", { timeout: 180_000 }), record.click()]);
    const path = info.outputPath(`${keep.join("-")}-${download.suggestedFilename()}`);
    await download.saveAs(path);
    const d = await demux(new Uint8Array(readFileSync(path)));
    const decoded = await decodeInPage(page, d, false, keep);
    return { d, frames: decoded.kept.map((data): Image => ({ width: decoded.width, height: decoded.height, channels: 4, data: Uint8Array.from(data) })) };
  };
  const px = (f: Image, x: number, y: number) => Array.from(f.data.subarray((y * f.width + x) * 4, (y * f.width + x) * 4 + 3));
  const count = (f: Image, y0: number, y1: number, test: (p: number[]) => boolean) => {
    let n = 0;
    for (let y = y0; y < y1; y++) for (let x = 0; x < f.width; x++) if (test(px(f, x, y))) n++;
    return n;
  };
  const fieldColour = ([r, g, b]: number[]) => (b! > 60 && b! > r! + 20) || (r! > 150 && g! > 150 && b! > 150 && Math.abs(r! - b!) < 40);
  const bright = ([r, g, b]: number[]) => Math.min(r!, g!, b!) > 150;
  // The rows of the caption's top band that hold its letters (white on the dark band): their span is the type's height.
  const inkHeight = (f: Image) => {
    const rows: number[] = [];
    for (let y = 0; y < clipLayout(f.height, 2).top; y++) if (count(f, y, y + 1, bright) > 0) rows.push(y);
    return rows.length ? rows.at(-1)! - rows[0]! + 1 : 0;
  };

  const withCard = await clip([0, card]);
  await expect(page.getByTestId("clip-message")).toContainText(`12 frames after ${card} frames of the title card`);
  expect(withCard.d.packets.length).toBe(12 + card);
  const [title, firstRun] = withCard.frames as [Image, Image];
  if (process.env.ZIL_KEEP_FRAMES) writeFileSync(info.outputPath(`title-${title.width}x${title.height}.rgba`), title.data);
  const { top, fieldH } = clipLayout(240, 2);
  // The card: no field anywhere in the frame, and the heading's letters (the coating's name) bright on the dark ground.
  const electrolyte = ([r, , b]: number[]) => b! > 60 && b! > r! + 20;
  const fieldOnCard = count(title, 0, title.height, electrolyte) / (title.width * title.height);
  const { hs, headTop } = titleCardLayout(title.width, title.height, titleCardOf(presetScenario("bare")).lines.length);
  const heading = count(title, headTop, headTop + hs, bright);
  console.log(`title card ${title.width} x ${title.height}: field share ${fieldOnCard.toFixed(3)}, heading pixels ${heading}`);
  expect(fieldOnCard).toBeLessThan(0.01);
  expect(heading).toBeGreaterThan(40);
  // The run's first frame follows it: the field fills its band.
  expect(count(firstRun, top + 2, top + fieldH - 2, fieldColour)).toBeGreaterThan(0.9 * firstRun.width * (fieldH - 4));
  const ink240 = inkHeight(firstRun);

  // Without the card the clip starts on the field; at 480 px the caption's letters are twice as tall.
  await page.getByTestId("clip-title-card").uncheck();
  await page.getByTestId("clip-height").selectOption("480");
  const plain = await clip([0]);
  expect(plain.d.packets.length).toBe(12);
  const first = plain.frames[0]!;
  const l480 = clipLayout(480, 2);
  expect(count(first, l480.top + 2, l480.top + l480.fieldH - 2, fieldColour)).toBeGreaterThan(0.9 * first.width * (l480.fieldH - 4));
  const ink480 = inkHeight(first);
  console.log(`caption letters: ${ink240} px high at 240 px, ${ink480} px at 480 px`);
  expect(ink240).toBeGreaterThan(4);
  // As the type size (clipLayout's fs: 9 px at 240 px, its floor, and 16 px at 480 px), within a pixel's rounding.
  const sized = clipLayout(480, 2).fs / clipLayout(240, 2).fs;
  expect(ink480 / ink240).toBeGreaterThan(0.85 * sized);
  expect(ink480 / ink240).toBeLessThan(1.15 * sized);
  expect(ink480).toBeGreaterThanOrEqual(1.5 * ink240);
  expect(errors).toEqual([]);
});

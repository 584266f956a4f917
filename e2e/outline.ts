/**
 * A staircase detector for a drawn field: where each cell is a flat square scaled up, the metal's outline runs
 * along whole cells, so its top profile has flat steps a cell wide (or wider) and its walls vertical runs a cell
 * tall. Counted from the pixels alone; a smooth xi = 0.5 outline has such runs only where the surface really is
 * flat or vertical for a cell's length.
 */
import { expect, type Page } from "@playwright/test";
import type { Image } from "./png.ts";

/** The deposit these tests draw: bare Zn on 64 x 64 cells of 1 µm played past 600 s (a few cells tall), then paused. */
export async function growDeposit(page: Page): Promise<void> {
  await page.goto("/?preset=bare&nx=64&ny=64&dx_um=1&seed=3&speed=20&view=whole");
  const play = page.getByTestId("play");
  await expect(play).toBeEnabled({ timeout: 90_000 });
  await play.click();
  const seconds = async () => Number((await page.getByTestId("sim-time").textContent())!.replace(/[^\d.]/g, ""));
  await expect.poll(seconds, { timeout: 200_000, intervals: [1000] }).toBeGreaterThan(600);
  // Paused, unless the run has reached its end (1200 s) first: a fast backend can, between two polls. In the page
  // at once, so that the run cannot end between a look and a click (a click on the disabled button waits).
  await play.evaluate((b: HTMLButtonElement) => { if (!b.disabled && b.textContent === "Pause") b.click(); });
  await expect(play).toHaveText("Play");
}

/** The deposit layer's silver metal (219, 224, 235) against the teal or dark electrolyte: red above 120. */
export const isMetal = (img: Image, x: number, y: number): boolean => img.data[(y * img.width + x) * img.channels]! > 120;

/** A rectangle of an image, as an image. */
export function crop(img: Image, x0: number, y0: number, w: number, h: number): Image {
  const data = new Uint8Array(w * h * img.channels);
  for (let y = 0; y < h; y++) data.set(img.data.subarray(((y0 + y) * img.width + x0) * img.channels, ((y0 + y) * img.width + x0 + w) * img.channels), y * w * img.channels);
  return { width: w, height: h, channels: img.channels, data };
}

/**
 * `flat`: runs of `cellPx` or more columns whose topmost metal pixel is on the same row and that end in a riser of
 * half a cell or more (the steps of a staircase's top profile); `walls`: runs of `cellPx` or more rows where metal meets electrolyte between the same two columns
 * (within the deposit's rows, below its top). Returns both counts and the profile's height range.
 */
export function staircase(img: Image, cellPx: number): { flat: number; walls: number; top: number; bottom: number } {
  const { width: W, height: H } = img;
  const top = Array.from({ length: W }, (_, x) => {
    for (let y = 0; y < H; y++) if (isMetal(img, x, y)) return y;
    return H;
  });
  // A step: a flat run a cell wide that ends in a riser of half a cell or more (a smooth outline's flat runs, at
  // a crest or a trough, end in a one-pixel change).
  let flat = 0;
  for (let x = 0; x < W;) {
    let e = x;
    while (e + 1 < W && top[e + 1] === top[x]) e++;
    const riser = Math.max(x > 0 ? Math.abs(top[x - 1]! - top[x]!) : 0, e + 1 < W ? Math.abs(top[e + 1]! - top[x]!) : 0);
    if (e - x + 1 >= cellPx && top[x]! < H && riser >= cellPx / 2) flat++;
    x = e + 1;
  }
  const hi = Math.min(...top), lo = Math.max(...top);
  let walls = 0;
  for (let x = 1; x < W; x++) {
    let run = 0;
    for (let y = hi; y <= Math.min(H - 1, lo); y++) {
      if (isMetal(img, x, y) !== isMetal(img, x - 1, y)) run++;
      else {
        if (run >= cellPx) walls++;
        run = 0;
      }
    }
    if (run >= cellPx) walls++;
  }
  return { flat, walls, top: hi, bottom: lo };
}

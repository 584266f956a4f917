/**
 * Issue 26, item 3: by default the field follows the front. On a tall cell (256 x 256 cells of 1 µm) the default
 * view shows the deposit at least a third of the field's height tall within the first minute of simulated time,
 * its scale bar is still true (measured against the cell size the hover read-out finds in pixels), and "Whole
 * cell" shows all 256 µm again with its bar true for that.
 */
import { expect, test, type Page } from "@playwright/test";

/** The deposit's height in the field canvas's pixels (silver metal: red above 120), as a share of its height. */
function depositShare(page: Page): Promise<{ share: number; top: number; height: number }> {
  return page.getByTestId("field-canvas").evaluate((c: HTMLCanvasElement) => {
    const d = c.getContext("2d")!.getImageData(0, 0, c.width, c.height).data;
    for (let y = 0; y < c.height; y++) {
      let metal = 0;
      for (let x = 0; x < c.width; x++) if (d[(y * c.width + x) * 4]! > 120) metal++;
      // A row with metal across a few pixels (not one anti-aliased speck) is the deposit's top.
      if (metal >= 3) return { share: (c.height - y) / c.height, top: y, height: c.height };
    }
    return { share: 0, top: c.height, height: c.height };
  });
}

/** The hover read-out's x (µm) with the pointer at canvas-relative CSS pixel x, in the lower part of the field. */
async function hoverX(page: Page, px: number): Promise<number> {
  const box = (await page.getByTestId("field-canvas").boundingBox())!;
  // The page probes at most every 100 ms, and the probe reads the backend asynchronously: wait on both sides.
  await page.waitForTimeout(120);
  await page.mouse.move(box.x + px, box.y + box.height * 0.8);
  await page.waitForTimeout(400);
  const m = /^x = ([\d.]+) µm/.exec((await page.getByTestId("hover-readout").textContent()) ?? "");
  return m ? Number(m[1]) : NaN;
}

/**
 * The field's pixels per µm from the hover read-out alone: the CSS x at which the cell under the cursor changes,
 * found by bisection near the left and near the right of the canvas; cells are 1 µm, so the µm between the two
 * edges over the pixels between them is the scale.
 */
async function pxPerUm(page: Page): Promise<number> {
  await page.locator(".field-viewport").scrollIntoViewIfNeeded();
  const box = (await page.getByTestId("field-canvas").boundingBox())!;
  const edge = async (from: number): Promise<{ px: number; um: number }> => {
    let lo = from, hi = from + box.width * 0.12;
    const x0 = await hoverX(page, lo);
    expect(await hoverX(page, hi), "a cell edge within 12 % of the width").toBeGreaterThan(x0);
    while (hi - lo > 0.5) {
      const mid = (lo + hi) / 2;
      if ((await hoverX(page, mid)) > x0) hi = mid; else lo = mid;
    }
    return { px: hi, um: x0 + 0.5 }; // the left cell's centre x0 plus half a 1 µm cell: its right edge
  };
  const a = await edge(box.width * 0.05), b = await edge(box.width * 0.8);
  return (b.px - a.px) / (b.um - a.um);
}

/** The scale bar's length in pixels per µm of its label. */
async function barPxPerUm(page: Page): Promise<{ perUm: number; label: number }> {
  const bar = page.locator(".field-viewport").getByTestId("scale-bar");
  const label = Number((await page.locator(".field-viewport .bar-label").textContent())!.replace(/[^\d.]/g, ""));
  return { perUm: (await bar.boundingBox())!.width / label, label };
}

test("the default view follows the front: a 256 x 256 µm cell shows its deposit a third of the field tall, scale bar true", async ({ page }) => {
  test.setTimeout(300_000);
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto("/?preset=bare&nx=256&ny=256&dx_um=1&seed=3&speed=5");
  await expect(page.getByTestId("play")).toBeEnabled({ timeout: 150_000 });
  await expect(page.getByTestId("field-size")).toContainText("256 µm × 256 µm, 256 × 256 cells");
  // A few seconds of simulated time (within the first minute), then paused: the picture is of a run that played.
  const seconds = async () => Number((await page.getByTestId("sim-time").textContent())!.replace(/[^\d.]/g, ""));
  await page.getByTestId("play").click();
  await expect.poll(seconds, { timeout: 150_000, intervals: [500] }).toBeGreaterThan(1);
  await page.getByTestId("play").click();
  await expect(page.getByTestId("play")).toHaveText("Play", { timeout: 60_000 });
  const t = await seconds();
  expect(t).toBeLessThan(60);
  await expect(page.getByTestId("field-frame")).toContainText("Following the front");
  const front = await depositShare(page);
  console.log(`front view at t = ${t} s: deposit top at ${front.top} of ${front.height} px, ${(100 * front.share).toFixed(1)} % of the field's height`);
  expect(front.share).toBeGreaterThanOrEqual(1 / 3);
  expect(front.share).toBeLessThan(0.9); // electrolyte is shown above it
  // Metal that looks like metal: the deposit shaded from above (top faces lighter than the plain silver 219, 224,
  // 235 of deep metal), and the legend's key names the colours drawn, each with a swatch of it.
  const reds = await page.getByTestId("field-canvas").evaluate((c: HTMLCanvasElement) => {
    const d = c.getContext("2d")!.getImageData(0, 0, c.width, c.height).data;
    const metal: number[] = [], deep: number[] = [];
    for (let k = 0; k < d.length; k += 4) if (d[k]! > 120) metal.push(d[k]!);
    for (let x = 0; x < c.width; x++) deep.push(d[((c.height - 1) * c.width + x) * 4]!);
    const sorted = (v: number[]) => v.sort((a, b) => a - b);
    return { metal: sorted(metal), deep: sorted(deep) };
  });
  const deep = reds.deep[reds.deep.length >> 1]!, lit = reds.metal[Math.floor(reds.metal.length * 0.99)]!;
  console.log(`metal: ${reds.metal.length} px; the field's bottom row (deep metal) red ${deep}, the metal's 99th percentile ${lit}`);
  expect(Math.abs(deep - 219)).toBeLessThanOrEqual(3);
  expect(lit).toBeGreaterThan(235);
  await expect(page.getByTestId("key-metal")).toHaveText("Zn metal, lit from above: silver");
  await expect(page.getByTestId("key-band")).toHaveText("coating band: olive");
  await expect(page.getByTestId("key-dead-zinc")).toHaveCount(0);
  expect(await page.getByTestId("key-metal").locator(".swatch").evaluate((e) => getComputedStyle(e).backgroundColor)).toBe("rgb(219, 224, 235)");
  // The scale bar against the pixels per µm the hover read-out finds (1 µm cells).
  const scale = await pxPerUm(page);
  const bar = await barPxPerUm(page);
  console.log(`front view: ${scale.toFixed(2)} px per µm from the hover's cell edges; bar ${bar.label} µm at ${bar.perUm.toFixed(2)} px per µm`);
  expect(Math.abs(bar.perUm / scale - 1)).toBeLessThan(0.03);
  // The whole cell: all 256 µm across, the deposit a thin strip, the bar true for it.
  await page.getByTestId("whole-cell").check();
  await expect(page.getByTestId("field-frame")).toHaveText("Showing the whole cell.");
  await expect(page).toHaveURL(/view=whole/);
  const whole = await depositShare(page);
  expect(whole.share).toBeLessThan(front.share / 4);
  const wholeScale = await pxPerUm(page);
  const wholeBar = await barPxPerUm(page);
  console.log(`whole cell: deposit ${(100 * whole.share).toFixed(1)} %, ${wholeScale.toFixed(3)} px per µm; bar ${wholeBar.label} µm at ${wholeBar.perUm.toFixed(3)} px per µm`);
  expect(wholeBar.label).toBe(50);
  expect(Math.abs(wholeBar.perUm / wholeScale - 1)).toBeLessThan(0.03);
  expect(wholeScale).toBeLessThan(scale / 4);
  expect(errors).toEqual([]);
});

/**
 * The comparison's panes frame alike: one window for all of them (the front of the tallest deposit), so their
 * scale bars say the same µm per pixel; "Whole cell" shows every pane's whole 64 µm.
 */
test("the comparison's panes share one front window, and Whole cell shows each pane's whole cell", async ({ page }) => {
  test.setTimeout(300_000);
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto("/?preset=bare&nx=64&ny=64&dx_um=1&seed=3");
  await expect(page.getByTestId("play")).toBeEnabled({ timeout: 120_000 });
  await page.getByTestId("compare").locator("summary").click();
  await page.getByTestId("compare-start").click();
  await expect(page.getByTestId("compare-play")).toBeEnabled({ timeout: 200_000 });
  // Each pane's shown width in µm, from its scale bar: the label times the canvas's pixels over the bar's.
  const shownUm = async () => {
    const panes = page.getByTestId("compare-pane");
    const n = await panes.count();
    const out: number[] = [];
    for (let k = 0; k < n; k++) {
      const pane = panes.nth(k);
      const label = Number((await pane.locator(".bar-label").textContent())!.replace(/[^\d.]/g, ""));
      const bar = (await pane.getByTestId("scale-bar").boundingBox())!.width;
      const canvas = (await pane.getByTestId(`compare-canvas-${k}`).boundingBox())!.width;
      out.push((label * canvas) / bar);
    }
    return out;
  };
  const front = await shownUm();
  console.log(`comparison, front: panes show ${front.map((w) => w.toFixed(2)).join(", ")} µm across`);
  expect(front.length).toBeGreaterThanOrEqual(2);
  for (const w of front) expect(Math.abs(w / front[0]! - 1)).toBeLessThan(0.02);
  expect(front[0]!).toBeLessThan(20); // the front (~13 µm), not the 64 µm cell
  await page.getByTestId("whole-cell").check();
  await expect.poll(async () => (await shownUm())[0]!).toBeGreaterThan(60);
  const whole = await shownUm();
  console.log(`comparison, whole cell: panes show ${whole.map((w) => w.toFixed(2)).join(", ")} µm across`);
  for (const w of whole) expect(Math.abs(w / 64 - 1)).toBeLessThan(0.02);
  expect(errors).toEqual([]);
});

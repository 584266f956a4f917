/** The page draws the live field with WebGPU, and the deposit visibly grows in the canvas's pixels. */
import { expect, test, type Page } from "@playwright/test";
import { decodePng, metalShare } from "./png.ts";

/** Pixels of a canvas with any opacity (getImageData). */
function litPixels(page: Page, testId: string): Promise<number> {
  return page.getByTestId(testId).evaluate((c: HTMLCanvasElement) => {
    const d = c.getContext("2d")!.getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let k = 3; k < d.length; k += 4) if (d[k]! > 0) n++;
    return n;
  });
}

/** Distinct colours of a canvas. */
function canvasColours(page: Page, testId: string): Promise<number> {
  return page.getByTestId(testId).evaluate((c: HTMLCanvasElement) => {
    const d = c.getContext("2d")!.getImageData(0, 0, c.width, c.height).data;
    const seen = new Set<number>();
    for (let k = 0; k < d.length; k += 4) seen.add((d[k]! << 16) | (d[k + 1]! << 8) | d[k + 2]!);
    return seen.size;
  });
}

test("the field view draws the running preset and the Zn deposit grows", async ({ page }, info) => {
  test.setTimeout(300_000);
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto("/?preset=bare&nx=32&ny=32&dx_um=1&speed=5&view=whole");
  const canvas = page.getByTestId("field-canvas");
  await expect(canvas).toBeVisible();
  await expect(page.getByTestId("play")).toBeEnabled({ timeout: 90_000 });
  const time = page.getByTestId("sim-time");
  const seconds = async () => Number((await time.textContent())!.replace(/[^\d.]/g, ""));
  const early = metalShare(decodePng(await canvas.screenshot()));
  await page.getByTestId("play").click();
  // Bare Zn at 10 mA/cm2 deposits ~0.3 um per minute (a 1 um row every ~3.5 min): wait for 400 s of simulated time.
  await expect.poll(seconds, { timeout: 240_000, intervals: [2000] }).toBeGreaterThan(400);
  await page.getByTestId("play").click();
  const late = metalShare(decodePng(await canvas.screenshot()));
  expect(early).toBeGreaterThan(0.02); // the substrate and nuclei are drawn
  expect(late).toBeGreaterThan(early + 0.01);
  // The other layers draw too, with a legend in physical units.
  for (const [name, unit] of [["Zn²⁺ concentration", "M"], ["Potential", "V"], ["Coating integrity", ""], ["HER current", "mA/cm²"]] as const) {
    await page.getByRole("radio", { name }).check();
    await expect(page.getByTestId("legend")).toContainText(unit);
    await info.attach(`layer ${name}`, { body: await page.getByRole("region").first().screenshot().catch(() => page.screenshot()), contentType: "image/png" });
  }
  // The HER layer's log scale: its legend ends are powers of ten.
  await expect(page.getByTestId("legend")).toContainText("10⁻⁶ mA/cm²");
  await expect(page.getByTestId("legend")).toContainText("10⁻¹ mA/cm²");
  expect(await canvasColours(page, "field-canvas")).toBeGreaterThan(3);
  // Current lines: drawn on the overlay canvas over the potential layer only.
  const lines = () => litPixels(page, "field-lines");
  expect(await lines()).toBe(0);
  await page.getByRole("radio", { name: "Potential" }).check();
  await expect.poll(lines, { timeout: 30_000 }).toBeGreaterThan(100);
  const box = async (id: string) => page.getByTestId(id).boundingBox();
  expect(await box("field-lines")).toEqual(await box("field-canvas"));
  await page.getByRole("button", { name: "Zoom in" }).click();
  await expect.poll(async () => (await box("field-lines"))?.width).toBeGreaterThan((await box("field-canvas"))!.width - 1);
  expect(await box("field-lines")).toEqual(await box("field-canvas"));
  await info.attach("potential with current lines", { body: await page.locator(".field-viewport").screenshot(), contentType: "image/png" });
  await page.getByRole("radio", { name: "Deposit" }).check();
  await expect.poll(lines, { timeout: 30_000 }).toBe(0);
  expect(errors).toEqual([]);
});

test("hovering the field reads the cell under the cursor, each value in its unit; the coating's integrity only where there is one", async ({ page }) => {
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  const readout = page.getByTestId("hover-readout");
  const hover = async (fx: number, fy: number) => {
    const canvas = page.getByTestId("field-canvas");
    const box = (await canvas.boundingBox())!;
    await canvas.hover({ position: { x: box.width * fx, y: box.height * fy } });
  };
  for (const [preset, coated] of [["cof", true], ["bare", false]] as const) {
    await page.goto(`/?preset=${preset}&nx=32&ny=32&dx_um=1&view=whole`);
    await expect(page.getByTestId("play")).toBeEnabled({ timeout: 90_000 });
    await expect(readout).toContainText("Hover over the field");
    // The second row from the electrode (y = 1.5 um) in the middle column (x = 16.5 um): the metal's surface.
    await hover(16.5 / 32, 1 - 1.5 / 32);
    const value = "(-?[\\d.]+(?:e[-+]\\d+)?)";
    const pattern = new RegExp(`^x = 16\\.5 µm, y = 1\\.5 µm: metal ${value}, Zn²⁺ ${value} M, φ ${value} (m?V), HER ${value} mA/cm²(, coating integrity ${value})?$`);
    await expect(readout).toHaveText(pattern);
    const m = pattern.exec((await readout.textContent())!)!;
    const [metal, c, phiShown, , her] = [1, 2, 3, 4, 5].map((k) => Number(m[k]));
    // φ in mV where it is within 0.1 V of the reservoir (as the potential legend then is), else in V.
    const phi = m[4] === "mV" ? phiShown! / 1e3 : phiShown!;
    if (m[4] === "mV") expect(Math.abs(phi)).toBeLessThan(0.1);
    else expect(Math.abs(phi)).toBeGreaterThanOrEqual(0.1);
    expect(metal).toBeGreaterThanOrEqual(0);
    expect(metal).toBeLessThanOrEqual(1);
    expect(c).toBeGreaterThan(0);
    expect(c).toBeLessThan(2.5); // the 2 M electrolyte
    expect(phi).toBeLessThanOrEqual(0); // below the reservoir while plating
    expect(her).toBeGreaterThanOrEqual(0);
    if (coated) expect(Number(m[7])).toBeCloseTo(1, 2); // an intact layer before any plating
    else expect(m[6]).toBeUndefined();
    // Far from the electrode: the top row, no metal, the bulk concentration.
    await hover(0.5 / 32, 0.5 / 32);
    await expect(readout).toContainText("x = 0.5 µm, y = 31.5 µm: metal 0.00,");
    await expect(readout).toContainText("Zn²⁺ 2 M");
  }
  expect(errors).toEqual([]);
});

/**
 * The scale bar over the field measures what it says: its pixels over its label's µm equal the field's pixels per
 * µm (the canvas's drawn width, zoom included, over the grid's width in µm), within 2 %, at zoom 1 and zoomed in,
 * and in a comparison pane.
 */
/**
 * Pixels per µm shown by the scale bar inside `stage`, against those of the canvas `canvasId` (its drawn width, zoom
 * included) whose width is `widthUm`: within 2 %. Returns the bar's pixels and its label's µm.
 */
async function checkBar(page: Page, stage: string, canvasId: string, widthUm: number) {
  const bar = page.locator(stage).getByTestId("scale-bar");
  const label = Number((await page.locator(stage).locator(".bar-label").textContent())!.replace(/[^\d.]/g, ""));
  expect(Number(await bar.getAttribute("data-um"))).toBe(label);
  const barPx = (await bar.boundingBox())!.width;
  const fieldPx = (await page.getByTestId(canvasId).boundingBox())!.width;
  const why = `${stage}: bar ${barPx.toFixed(1)} px for ${label} µm in a field ${fieldPx.toFixed(1)} px for ${widthUm} µm`;
  expect(Math.abs(barPx / label / (fieldPx / widthUm) - 1), why).toBeLessThan(0.02);
  return { barPx, label, fieldPx };
}

test("the scale bar's length matches the field's cell size, zoomed or not, in the field view and a comparison pane", { tag: "@fast" }, async ({ page }) => {
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  const check = (stage: string, canvasId: string, widthUm: number) => checkBar(page, stage, canvasId, widthUm);
  await page.goto("/?preset=bare&nx=64&ny=64&dx_um=1&seed=3&view=whole");
  await expect(page.getByTestId("play")).toBeEnabled({ timeout: 90_000 });
  await expect(page.getByTestId("field-size")).toContainText("64 µm × 64 µm, 64 × 64 cells");
  const unzoomed = await check(".field-viewport", "field-canvas", 64);
  expect(unzoomed.label).toBe(10); // a round quarter of 64 µm
  for (let k = 0; k < 4; k++) await page.getByRole("button", { name: "Zoom in" }).click();
  await expect(page.locator(".zoom-level")).toHaveText("244 %");
  const zoomed = await check(".field-viewport", "field-canvas", 64);
  expect(zoomed.label).toBe(5); // a quarter of the 26 µm shown
  // A comparison pane (no zoom) at 32 x 32 µm.
  await page.goto("/?nx=32&ny=32&dx_um=1&seed=7&view=whole");
  await expect(page.getByTestId("play")).toBeEnabled({ timeout: 90_000 });
  await page.getByTestId("compare").locator("summary").click();
  await page.getByTestId("compare-start").click();
  await expect(page.getByTestId("compare-play")).toBeEnabled({ timeout: 120_000 });
  const pane = await check("[data-testid=compare-pane]:first-child .compare-stage", "compare-canvas-0", 32);
  expect(pane.label).toBe(5);
  expect(errors).toEqual([]);
});

/**
 * The lecturer's case of issue 26: 256 x 256 cells of 1 µm on a 1920 x 1080 screen, where a bar of ~36 px was once
 * labelled "50 µm" in a 478 px field. The bar must be the field's pixels per µm times its label, at zoom 1 and
 * zoomed, in the page and in presenter mode, and in the comparison's panes at two screen sizes (two pane widths).
 */
test("scale bars on a lecturer's screen: 256 µm of 1 µm cells, two zooms, presenter mode, comparison panes at two sizes", async ({ page }) => {
  test.setTimeout(300_000);
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.setViewportSize({ width: 1920, height: 1080 });
  await page.goto("/?preset=bare&nx=256&ny=256&dx_um=1&seed=3&view=whole");
  await expect(page.getByTestId("play")).toBeEnabled({ timeout: 120_000 });
  await expect(page.getByTestId("field-size")).toContainText("256 µm × 256 µm, 256 × 256 cells");
  const whole = await checkBar(page, ".field-viewport", "field-canvas", 256);
  expect(whole.label).toBe(50);
  // The numbers: ~93 px for 50 µm in a ~478 px field (it drew ~36 px).
  expect(whole.barPx).toBeGreaterThan(0.18 * whole.fieldPx);
  for (let k = 0; k < 3; k++) await page.getByRole("button", { name: "Zoom in" }).click();
  await expect(page.locator(".zoom-level")).toHaveText("195 %");
  const zoomed = await checkBar(page, ".field-viewport", "field-canvas", 256);
  expect(zoomed.label).toBe(20); // a round part of the ~131 µm shown
  await page.getByRole("button", { name: "Fit" }).click();
  await page.getByTestId("presenter-toggle").click();
  await expect(page.locator("html")).toHaveClass(/(^|\s)presenter(\s|$)/);
  await checkBar(page, ".field-viewport", "field-canvas", 256);
  for (let k = 0; k < 2; k++) await page.getByRole("button", { name: "Zoom in" }).click();
  await checkBar(page, ".field-viewport", "field-canvas", 256);
  await page.getByTestId("presenter-toggle").click();
  // The comparison's panes, on the page's 256 µm cell.
  await page.getByTestId("compare").locator("summary").click();
  await page.getByTestId("compare-start").click();
  await expect(page.getByTestId("compare-play")).toBeEnabled({ timeout: 200_000 });
  const pane = "[data-testid=compare-pane]:first-child .compare-stage";
  const wide = await checkBar(page, pane, "compare-canvas-0", 256);
  await page.setViewportSize({ width: 1366, height: 768 });
  await expect.poll(async () => (await page.getByTestId("compare-canvas-0").boundingBox())!.width).toBeLessThan(wide.fieldPx - 20);
  await checkBar(page, pane, "compare-canvas-0", 256);
  expect(errors).toEqual([]);
});

test("panning a zoomed field stops at the cell's edges: the field always covers its viewport", async ({ page }) => {
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto("/?preset=bare&nx=32&ny=32&dx_um=1");
  await expect(page.getByTestId("play")).toBeEnabled({ timeout: 90_000 });
  for (let k = 0; k < 4; k++) await page.getByRole("button", { name: "Zoom in" }).click();
  await expect(page.locator(".zoom-level")).toHaveText("244 %");
  const viewport = page.locator(".field-viewport");
  const covers = async (why: string) => {
    const v = (await viewport.boundingBox())!, c = (await page.getByTestId("field-canvas").boundingBox())!;
    expect(c.x, `${why}: left edge`).toBeLessThanOrEqual(v.x + 1.5);
    expect(c.y, `${why}: top edge`).toBeLessThanOrEqual(v.y + 1.5);
    expect(c.x + c.width, `${why}: right edge`).toBeGreaterThanOrEqual(v.x + v.width - 1.5);
    expect(c.y + c.height, `${why}: bottom edge`).toBeGreaterThanOrEqual(v.y + v.height - 1.5);
    return c;
  };
  await viewport.focus();
  // 60 presses of 20 px each way: far past the edges of a field 2.44 times the viewport.
  for (const key of ["ArrowLeft", "ArrowUp"]) for (let k = 0; k < 60; k++) await page.keyboard.press(key);
  const topLeft = await covers("arrow keys to the top left");
  for (const key of ["ArrowRight", "ArrowDown"]) for (let k = 0; k < 60; k++) await page.keyboard.press(key);
  const bottomRight = await covers("arrow keys to the bottom right");
  expect(topLeft.x - bottomRight.x).toBeGreaterThan(100); // it did pan
  // A drag far past the edge, then zooming out: still covered.
  const v = (await viewport.boundingBox())!;
  await page.mouse.move(v.x + v.width / 2, v.y + v.height / 2);
  await page.mouse.down();
  await page.mouse.move(v.x + v.width * 3, v.y + v.height * 3, { steps: 5 });
  await page.mouse.up();
  await covers("a drag past the edge");
  await page.getByRole("button", { name: "Zoom out" }).click();
  await covers("zoomed out after the drag");
  expect(errors).toEqual([]);
});

test("while the run is being prepared, the field says so instead of staying black; the note goes once it is ready", async ({ page }) => {
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto("/?preset=bare&nx=64&ny=64&dx_um=1");
  const note = page.getByTestId("field-preparing");
  // On SwiftShader building the engine's pipelines takes seconds: the note shows over the field meanwhile.
  await expect(note).toBeVisible();
  await expect(note).toContainText("Preparing the run");
  await expect(page.getByTestId("play")).toBeEnabled({ timeout: 90_000 });
  await expect(note).toHaveCount(0);
  // A restart (a new seed) prepares again, and says so again. With the pipelines cached that can take less than
  // a poll of expect(), so the page itself records whether the note came.
  await page.locator(".run-bar .seed input").fill("5");
  await page.locator(".run-bar .seed input").press("Tab");
  await page.evaluate(() => {
    const w = window as unknown as { sawPreparing?: string };
    const seen = () => { const p = document.querySelector("[data-testid=field-preparing]"); if (p) w.sawPreparing = p.textContent ?? ""; };
    new MutationObserver(seen).observe(document.body, { childList: true, subtree: true });
  });
  await page.getByTestId("restart").click();
  await expect.poll(() => page.evaluate(() => (window as unknown as { sawPreparing?: string }).sawPreparing ?? null)).toContain("Preparing the run");
  await expect(page.getByTestId("play")).toBeEnabled({ timeout: 90_000 });
  await expect(note).toHaveCount(0);
  expect(errors).toEqual([]);
});

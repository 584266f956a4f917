/**
 * The pH and by-product layers of the field view (issue 25): bare Zn plating two minutes with the pH and the
 * by-product on shows the Zn4(OH)6SO4 film in its own layer next to the metal, and TiO2 (whose interface stays below
 * the by-product's pH 5.5) none; on the pH layer the liquid right above bare Zn's metal is coloured far from the
 * reservoir's top rows (HER's OH- raises the pH at the metal). A run without the pH field shows the note instead.
 */
import { expect, test, type Page } from "@playwright/test";

test.describe.configure({ timeout: 120_000 });

/** Plays bare Zn or another coating 120 s at 10 mA/cm2 on 32 x 32 cells of 1 um, the whole cell shown, to its end. */
async function plate(page: Page, preset: string): Promise<void> {
  await page.goto(`/?preset=${preset}&ph=byproduct&nx=32&ny=32&dx_um=1&duration_s=120&samples=10&speed=50&layer=byproduct&view=whole`);
  await expect(page.getByTestId("play")).toBeEnabled({ timeout: 90_000 });
  await expect(page.getByRole("radio", { name: "By-product film" })).toBeChecked();
  await page.getByTestId("play").click();
  await expect(page.getByTestId("run-status")).toContainText("done", { timeout: 90_000 });
}

/**
 * Pixels of the field canvas in the film's colour: the by-product ramp runs from near-black (0.10, 0.10, 0.13) to
 * lilac (0.80, 0.66, 0.90), so a film pixel has red above green and blue well above it; the grey metal has neither.
 */
function filmPixels(page: Page): Promise<number> {
  return page.getByTestId("field-canvas").evaluate((c: HTMLCanvasElement) => {
    const d = c.getContext("2d")!.getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let p = 0; p < d.length; p += 4) if (d[p]! - d[p + 1]! >= 5 && d[p + 2]! - d[p + 1]! >= 14) n++;
    return n;
  });
}

/**
 * The pH layer's mean colour in the reservoir's top rows (the top 5 % of the canvas) and in the liquid just above the
 * metal: in each column, a few pixels above the highest metal pixel (grey: red within 20 of green; the pH ramp's
 * colours have far more red than green).
 */
function pHColours(page: Page): Promise<{ top: number[]; surface: number[]; columns: number }> {
  return page.getByTestId("field-canvas").evaluate((c: HTMLCanvasElement) => {
    const { width: W, height: H } = c;
    const d = c.getContext("2d")!.getImageData(0, 0, W, H).data;
    const at = (x: number, y: number) => [d[(y * W + x) * 4]!, d[(y * W + x) * 4 + 1]!, d[(y * W + x) * 4 + 2]!];
    const isMetal = (x: number, y: number) => { const [r, g] = at(x, y); return r! - g! < 20; };
    const top = [0, 0, 0], surface = [0, 0, 0];
    let nTop = 0, columns = 0;
    const lift = Math.max(2, Math.round(H / 64)); // a quarter of a 1 um cell at 32 cells
    for (let x = 0; x < W; x += 4) {
      for (let y = 0; y < Math.ceil(H * 0.05); y++) { at(x, y).forEach((v, ch) => (top[ch]! += v)); nTop++; }
      let y = H - 1;
      while (y > 0 && isMetal(x, y)) y--;
      if (y === H - 1 || y - lift < 0) continue;
      at(x, y - lift).forEach((v, ch) => (surface[ch]! += v));
      columns++;
    }
    return { top: top.map((v) => v / nTop), surface: surface.map((v) => v / Math.max(1, columns)), columns };
  });
}

test("the by-product layer shows bare Zn's film by the metal and none on TiO2; the pH layer shows the pH risen at the metal", async ({ page }, info) => {
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await plate(page, "bare");
  await expect(page.getByTestId("legend")).toContainText("Zn₄(OH)₆SO₄");
  await expect(page.getByTestId("legend")).toContainText("10⁻³ µm");
  await expect(page.getByTestId("field-off")).toHaveCount(0);
  const bare = await filmPixels(page);
  await info.attach("bare, by-product layer", { body: await page.locator(".field-viewport").screenshot(), contentType: "image/png" });
  await page.getByRole("radio", { name: "pH", exact: true }).check();
  await expect(page.getByTestId("legend")).toContainText("pH 3");
  await expect(page.getByTestId("legend")).toContainText("pH 11");
  await expect(page).toHaveURL(/layer=ph(&|$)/);
  const ph = await pHColours(page);
  // The hover read-out gives the cell's pH and film: the reservoir's top row at the electrolyte's pH, no film.
  const canvas = page.getByTestId("field-canvas");
  const box = (await canvas.boundingBox())!;
  await canvas.hover({ position: { x: box.width * (16.5 / 32), y: box.height * (0.5 / 32) } });
  await expect(page.getByTestId("hover-readout")).toHaveText(/^x = 16\.5 µm, y = 31\.5 µm: .*, pH 4\.3\d, film 0 µm$/);
  await info.attach("bare, pH layer", { body: await page.locator(".field-viewport").screenshot(), contentType: "image/png" });
  await plate(page, "tio2");
  const tio2 = await filmPixels(page);
  console.log(`layers e2e: film pixels bare ${bare}, tio2 ${tio2}; pH layer top ${ph.top.map(Math.round)}, above the metal ${ph.surface.map(Math.round)} (${ph.columns} columns)`);
  expect(bare).toBeGreaterThan(200);
  expect(tio2).toBe(0);
  // The reservoir at pH 4.3 (dark violet); by the metal near the by-product's pH 5.5: much redder.
  expect(ph.columns).toBeGreaterThan(20);
  expect(ph.surface[0]! - ph.top[0]!).toBeGreaterThan(30);
  expect(errors).toEqual([]);
});

test("without the pH field the pH and by-product layers say how to turn it on", async ({ page }) => {
  await page.goto("/?preset=bare&nx=32&ny=32&dx_um=1&layer=ph");
  await expect(page.getByTestId("play")).toBeEnabled({ timeout: 90_000 });
  await expect(page.getByTestId("legend-off")).toContainText("turn on Local pH and by-product in Principle II");
  await expect(page.getByTestId("field-off")).toBeVisible();
  await page.getByRole("radio", { name: "By-product film" }).check();
  await expect(page.getByTestId("legend-off")).toContainText("pH field off");
  await page.getByRole("radio", { name: "Deposit" }).check();
  await expect(page.getByTestId("field-off")).toHaveCount(0);
});

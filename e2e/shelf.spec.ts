/**
 * Principle II on the shelf in the field view: an address with `ph=byproduct` and a rest protocol runs bare Zn at open
 * circuit with the pH and the by-product on the GPU path; the control shows the choice, the legend names the film's
 * colour, and once HER has raised the pH the field shows the lilac Zn4(OH)6SO4 film on the metal (from the canvas's
 * pixels), and the pH chart shows it; TiO2, whose pH stays acidic, shows none. The Tafel panel sweeps the page's
 * coating in a worker and gives the runner's E_corr and i_corr (bare Zn: 0.311 mV, 49.706 uA/cm2). The comparison
 * runs the shelf side by side in lock-step: the film on bare Zn's pane only.
 */
import { expect, test, type Page } from "@playwright/test";

test.describe.configure({ timeout: 240_000 });

async function ready(page: Page) {
  await expect(page.getByTestId("play")).toBeEnabled({ timeout: 90_000 });
  await expect(page.getByTestId("play")).toHaveText("Play");
}

/** Pixels of a field canvas (the page's, or a comparison pane's) in the film's lilac (hue 260-300 degrees, light). */
async function lilacPixels(page: Page, canvas = "field-canvas"): Promise<number> {
  return page.getByTestId(canvas).evaluate((c: HTMLCanvasElement) => {
    const d = c.getContext("2d")!.getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let p = 0; p < d.length; p += 4) {
      const r = d[p]! / 255, g = d[p + 1]! / 255, b = d[p + 2]! / 255;
      const max = Math.max(r, g, b), min = Math.min(r, g, b), l = (max + min) / 2;
      if (max - min < 0.08 || l < 0.55) continue;
      const h = max === r ? ((g - b) / (max - min) + 6) % 6 : max === g ? (b - r) / (max - min) + 2 : (r - g) / (max - min) + 4;
      if (h * 60 >= 260 && h * 60 <= 300) n++;
    }
    return n;
  });
}

/** Plays an hour at rest on 64 x 128 cells of 0.5 um (64 um of electrolyte keep the OH- near the metal) and waits for its end; the canvas's lilac pixels then. */
async function restAnHour(page: Page, preset: string): Promise<number> {
  await page.goto(`/?preset=${preset}&ph=byproduct&protocol=rest&protocol.time_s=3600&nx=64&ny=128&speed=50`);
  await ready(page);
  await expect(page.getByTestId("ph-choice")).toHaveValue("byproduct");
  await expect(page.getByTestId("key-film")).toContainText("by-product film, Zn₄(OH)₆SO₄: lilac");
  await page.getByTestId("play").click();
  await expect(page.getByTestId("run-status")).toContainText("done", { timeout: 180_000 });
  return lilacPixels(page);
}

test("bare Zn an hour at rest with the pH tracked grows a lilac by-product film in the field view; TiO2 none", async ({ page }, info) => {
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  const bare = await restAnHour(page, "bare");
  const ph = page.getByTestId("chart-ph");
  await expect(ph).toBeVisible();
  expect(Number(await ph.getAttribute("data-points"))).toBeGreaterThan(1);
  await expect(ph.locator(".visually-hidden")).toContainText(/pH 5\.\d+, film 0\.\d+ µm/);
  await info.attach("bare at rest", { body: await page.locator(".field-viewport").screenshot(), contentType: "image/png" });
  const tio2 = await restAnHour(page, "tio2");
  info.annotations.push({ type: "lilac pixels", description: `bare ${bare}, tio2 ${tio2}` });
  console.log(`shelf e2e: lilac pixels bare ${bare}, tio2 ${tio2}`);
  expect(bare).toBeGreaterThan(100);
  expect(tio2).toBe(0);
  expect(errors).toEqual([]);
});

test("the Tafel panel sweeps the page's coating: a plot of log|i| against E, and the runner's E_corr and i_corr", async ({ page }) => {
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto("/?preset=bare");
  await ready(page);
  await page.getByTestId("tafel-run").click();
  const status = page.getByTestId("tafel-status");
  await expect(status).toContainText("i_corr", { timeout: 60_000 });
  const text = (await status.textContent()) ?? "";
  const m = /E_corr ([-\d.]+) mV vs Zn, i_corr ([\d.]+) µA\/cm²/.exec(text);
  expect(m, text).not.toBeNull();
  // The runner's numbers (npm run sim -- --preset bare --protocol tafel): E_corr 0.311 mV, i_corr 49.706 uA/cm2.
  expect(Math.abs(Number(m![1]) - 0.311)).toBeLessThan(0.01);
  expect(Math.abs(Number(m![2]) / 49.706 - 1)).toBeLessThan(0.001);
  const chart = page.getByTestId("chart-tafel");
  expect(Number(await chart.getAttribute("data-points"))).toBeGreaterThan(250);
  await expect(chart.locator(".recharts-line-curve").first()).toBeVisible();
  expect(errors).toEqual([]);
});

test("the comparison runs the shelf side by side: bare Zn, TiO2 and COF@Zn an hour at rest in lock-step, the film on bare Zn only", async ({ page }) => {
  // Three panes of 64 x 128 cells with the pH on: 200 steps took ~4 min on the CI's 2 cores beside another spec file.
  test.setTimeout(600_000);
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto("/?preset=bare&ph=byproduct&protocol=rest&protocol.time_s=3600&nx=64&ny=128");
  await ready(page);
  await page.getByTestId("compare").locator("summary").click();
  await page.getByTestId("compare-pick-0").selectOption("bare");
  await page.getByTestId("compare-pick-1").selectOption("tio2");
  await page.getByTestId("compare-pick-2").selectOption("cof");
  await page.getByTestId("compare-speed").selectOption("50");
  await page.getByTestId("compare-start").click();
  const play = page.getByTestId("compare-play");
  await expect(play).toBeEnabled({ timeout: 120_000 });
  await expect(page.getByTestId("compare-pane")).toHaveCount(3);
  await play.click();
  const total = Number(/of (\d+)/.exec((await page.getByTestId("compare-time").textContent()) ?? "")?.[1] ?? NaN);
  expect(total).toBeGreaterThan(100);
  const steps = () => page.$$eval("[data-testid=compare-pane]", (els) => els.map((e) => Number(e.getAttribute("data-step"))));
  await expect.poll(async () => Math.min(...(await steps())), { timeout: 480_000 }).toBe(total);
  const [bare, tio2, cof] = [await lilacPixels(page, "compare-canvas-0"), await lilacPixels(page, "compare-canvas-1"), await lilacPixels(page, "compare-canvas-2")];
  console.log(`shelf comparison e2e: ${total} steps, lilac pixels bare ${bare}, tio2 ${tio2}, cof ${cof}`);
  expect(bare).toBeGreaterThan(50);
  expect(tio2).toBe(0);
  expect(cof).toBe(0);
  expect(errors).toEqual([]);
});

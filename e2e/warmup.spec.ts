/**
 * Issue 26, item 4: the warm-up that chooses the grid runs on a hardware adapter only. Here WebGPU is SwiftShader,
 * a software adapter: the default grid keeps today's choice (its 64 x 64 piece, as before) with no warm-up, and the
 * run bar says why. The choice itself is tested in tests/warmup.test.ts (given step times, which grid).
 */
import { expect, test } from "@playwright/test";

test("on a software adapter the default grid keeps today's smaller piece, no warm-up, and the run bar says why", async ({ page }) => {
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto("/");
  await expect(page.getByTestId("play")).toBeEnabled({ timeout: 90_000 });
  const why = page.getByTestId("grid-why");
  await expect(why).toContainText("No warm-up on a software adapter");
  await expect(why).toContainText("the default grid runs smaller, 32 × 32 µm · 64 × 64 cells");
  console.log(await why.textContent());
  await expect(page.getByTestId("field-size")).toContainText("64 × 64 cells");
  // A grid asked in the run bar runs as asked: the words go. In presenter mode they give the field their room.
  await page.getByTestId("presenter-toggle").click();
  await expect(why).toBeHidden();
  await page.getByTestId("presenter-toggle").click();
  await expect(why).toBeVisible();
  await page.getByTestId("grid").selectOption("16"); // 16 µm wide: 32 x 32 cells of 0.5 µm
  await expect(page.getByTestId("play")).toBeEnabled({ timeout: 90_000 });
  await expect(page.getByTestId("field-size")).toContainText("32 × 32 cells");
  await expect(why).toHaveCount(0);
  expect(errors).toEqual([]);
});

/**
 * The hardware path, in a real page: the adapter's info is made to read as a hardware GPU's (an init script over
 * GPUAdapter.info and GPUDevice.adapterInfo, which is all the page asks: gpuPlace), so the page runs its warm-up on
 * this machine's WebGPU (SwiftShader, timed for real, with the engine's hardware plan: the engine reads the same info),
 * says in the run bar what it measured and chose, runs that grid, and a grid asked in the run bar overrides it. On
 * SwiftShader the first candidate is already below 30 frames/s, so the choice is the coarsest; which grid a faster
 * device gets is tests/warmup.test.ts's (given timings), and that the timed steps are tuned ones is too.
 */
test("on a hardware adapter the page times its candidate grids, runs the one chosen, says so, and a grid asked overrides it", async ({ page }) => {
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.addInitScript(() => {
    const info = { vendor: "nvidia", architecture: "hopper", device: "", description: "e2e stand-in", subgroupMinSize: 32, subgroupMaxSize: 32, isFallbackAdapter: false };
    Object.defineProperty(GPUAdapter.prototype, "info", { get: () => info, configurable: true });
    if ("adapterInfo" in GPUDevice.prototype) Object.defineProperty(GPUDevice.prototype, "adapterInfo", { get: () => info, configurable: true });
  });
  await page.goto("/");
  await expect(page.getByTestId("play")).toBeEnabled({ timeout: 120_000 });
  const why = page.getByTestId("grid-why");
  await expect(why).toContainText("Grid chosen by a warm-up on nvidia hopper e2e stand-in", { timeout: 60_000 });
  const text = (await why.textContent())!;
  console.log(text);
  // The words carry what was measured: the rate and the step's and drawing's times, in their units.
  const m = /the finest of (\d+) measured that keeps 30 frames\/s at (\d+) steps?\/frame: ([\d.]+) frames\/s \(a step ([\d.]+) ms, drawing ([\d.]+) ms\)/.exec(text);
  expect(m, text).not.toBeNull();
  const [measured, speed, fps, stepMs, drawMs] = [1, 2, 3, 4, 5].map((k) => Number(m![k]));
  expect(measured).toBeGreaterThanOrEqual(1);
  expect(stepMs).toBeGreaterThan(0);
  expect(drawMs).toBeGreaterThan(0);
  expect(Math.abs(fps - 1000 / (speed! * stepMs! + drawMs!)) / fps!).toBeLessThan(0.05);
  // The field runs the grid the words name.
  const named = /(\d+) × (\d+) cells/.exec(text)!;
  await expect(page.getByTestId("field-size")).toContainText(`${named[1]} × ${named[2]} cells`);
  // A grid asked in the run bar runs as asked, and the warm-up's words go.
  await page.getByTestId("grid").selectOption("16");
  await expect(page.getByTestId("play")).toBeEnabled({ timeout: 90_000 });
  await expect(page.getByTestId("field-size")).toContainText("32 × 32 cells");
  await expect(why).toHaveCount(0);
  expect(errors).toEqual([]);
});

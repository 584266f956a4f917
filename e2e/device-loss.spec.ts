/** A lost GPU device mid-run: the page makes a new device (or, where none comes, hands over to the CPU worker), resumes from its last checkpoint and says so. */
import { expect, test, type Page } from "@playwright/test";

/**
 * Opens `query` on the GPU backend (`before` runs once it is ready) and plays past t = 20 s, long enough for at
 * least one checkpoint (every 3 s of wall time).
 */
async function playOnGpu(page: Page, query: string, before?: () => Promise<void>) {
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(query);
  const play = page.getByTestId("play");
  await expect(play).toBeEnabled({ timeout: 90_000 });
  await before?.();
  const time = async () => Number((await page.getByTestId("sim-time").textContent())!.replace(/[^\d.]/g, ""));
  await play.click();
  await page.waitForTimeout(8000);
  await expect.poll(time, { timeout: 90_000 }).toBeGreaterThan(20);
  return { errors, play, time };
}

test("destroying the GPU device mid-run: the run resumes from its checkpoint on a new device", { tag: "@fast" }, async ({ page }, info) => {
  test.setTimeout(240_000);
  const { errors, play, time } = await playOnGpu(page, "/?nx=32&ny=32&dx_um=1&speed=2");
  // The time on the page lags the engine by up to one store update, so the hook reports the simulated time
  // submitted when the device went: no checkpoint can be later than that.
  const before = await page.evaluate(() => (window as unknown as { zil: { loseGpuDevice: () => number } }).zil.loseGpuDevice());
  expect(before).toBeGreaterThan(20);
  const banner = page.getByTestId("banner");
  await expect(banner).toContainText("The GPU device was lost", { timeout: 30_000 });
  await expect(banner).toContainText("resumed from its checkpoint at t =", { timeout: 90_000 });
  const resumedAt = Number(/t = ([\d.]+) s/.exec((await banner.textContent())!)![1]);
  expect(resumedAt).toBeGreaterThan(0);
  expect(resumedAt).toBeLessThanOrEqual(before + 1e-9);
  // The run goes on from there: playing again, time past where it was lost, charts not emptied.
  await expect(play).toHaveText("Pause");
  await expect.poll(time, { timeout: 90_000 }).toBeGreaterThan(before + 4);
  expect(Number(await page.getByTestId("chart-uniformity").getAttribute("data-points"))).toBeGreaterThan(3);
  await expect(page.getByTestId("run-error")).toHaveCount(0);
  await info.attach("after device loss", { body: await page.screenshot({ fullPage: true }), contentType: "image/png" });
  expect(errors).toEqual([]);
});

test("a lost device where no new one can be made: the CPU worker continues the run from its checkpoint on the same grid", async ({ page }, info) => {
  test.setTimeout(300_000);
  // 256 x 128: a grid the CPU fallback of a fresh start would make smaller (128 x 128 cells at most), so keeping it
  // shows the takeover.
  const size = page.getByTestId("field-size");
  const { errors, play, time } = await playOnGpu(page, "/?nx=256&ny=128&dx_um=1&speed=2", async () => {
    await expect(size).toContainText("256 × 128 cells");
    await expect(size).not.toContainText("CPU reference solver");
  });
  // From now on the browser finds no adapter (as after a crash that takes the GPU away), then the device goes.
  const before = await page.evaluate(() => {
    navigator.gpu.requestAdapter = async () => null;
    return (window as unknown as { zil: { loseGpuDevice: () => number } }).zil.loseGpuDevice();
  });
  expect(before).toBeGreaterThan(20);
  const banner = page.getByTestId("banner");
  await expect(banner).toContainText("no new GPU device could be made", { timeout: 60_000 });
  await expect(banner).toContainText("resumed from its checkpoint at t =", { timeout: 60_000 });
  await expect(banner).toContainText("same 256 × 128 grid");
  const resumedAt = Number(/t = ([\d.]+) s/.exec((await banner.textContent())!)![1]);
  expect(resumedAt).toBeGreaterThan(0);
  expect(resumedAt).toBeLessThanOrEqual(before + 1e-9);
  // Resumed, not restarted: the clock starts at the checkpoint, on the CPU worker, at the same grid.
  expect(await time()).toBeGreaterThanOrEqual(resumedAt - 1e-6);
  await expect(size).toContainText("CPU reference solver");
  await expect(size).toContainText("256 × 128 cells");
  expect(page.workers().length).toBe(1);
  await expect(play).toHaveText("Pause");
  await expect.poll(time, { timeout: 90_000 }).toBeGreaterThan(before + 10);
  expect(Number(await page.getByTestId("chart-uniformity").getAttribute("data-points"))).toBeGreaterThan(3);
  // A control acts on the CPU worker's run at its grid, as on the GPU: no restart, the time goes on.
  const box = page.locator('.controls [data-param="dG_H_eV"] input[type=text]');
  await box.fill("1.5");
  await box.press("Enter");
  await expect(page).toHaveURL(/c\.dG_H_eV=1\.5/);
  const t1 = await time();
  await expect.poll(time, { timeout: 90_000 }).toBeGreaterThan(t1 + 10);
  await expect(page.getByTestId("restart")).toHaveCount(0);
  await expect(size).toContainText("256 × 128 cells");
  await expect(page.getByTestId("run-error")).toHaveCount(0);
  await info.attach("after device loss, on the CPU", { body: await page.screenshot({ fullPage: true }), contentType: "image/png" });
  expect(errors).toEqual([]);
});

test("a device lost after the run's end: the run stays done at its end, every sample kept", async ({ page }) => {
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto("/?nx=32&ny=32&dx_um=1&speed=20&duration_s=30&samples=30");
  const play = page.getByTestId("play");
  await expect(play).toBeEnabled({ timeout: 90_000 });
  await play.click();
  const status = page.getByTestId("run-status");
  await expect(status).toContainText("done", { timeout: 120_000 });
  const points = async () => Number(await page.getByTestId("chart-uniformity").getAttribute("data-points"));
  const had = await points();
  const end = await page.getByTestId("sim-time").textContent();
  expect(had).toBeGreaterThanOrEqual(30);
  await page.evaluate(() => (window as unknown as { zil: { loseGpuDevice: () => number } }).zil.loseGpuDevice());
  const banner = page.getByTestId("banner");
  await expect(banner).toContainText("resumed from its checkpoint at t = 30 s", { timeout: 90_000 });
  await expect(status).toContainText("done");
  await expect(page.getByTestId("sim-time")).toHaveText(end!);
  expect(await points()).toBe(had);
  await expect(play).toHaveText("Play");
  await expect(page.getByTestId("run-error")).toHaveCount(0);
  expect(errors).toEqual([]);
});

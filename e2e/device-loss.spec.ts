/** A lost GPU device mid-run: the page makes a new device, resumes from its last checkpoint and says so. */
import { expect, test } from "@playwright/test";

test("destroying the GPU device mid-run: the run resumes from its checkpoint on a new device", async ({ page }, info) => {
  test.setTimeout(240_000);
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto("/?nx=32&ny=32&speed=2");
  const play = page.getByTestId("play");
  await expect(play).toBeEnabled({ timeout: 90_000 });
  const time = async () => Number((await page.getByTestId("sim-time").textContent())!.replace(/[^\d.]/g, ""));
  await play.click();
  // Run long enough for at least one checkpoint (every 3 s of wall time).
  await page.waitForTimeout(8000);
  await expect.poll(time, { timeout: 60_000 }).toBeGreaterThan(20);
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

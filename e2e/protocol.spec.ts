/**
 * Plating, stripping and cycling in the app (Chromium, WebGPU through SwiftShader): the protocol picker, a symmetric
 * Zn||Zn run at a high current and a small capacity on a small grid (several cycles in seconds), the potential chart
 * shaded by step, the cycle chart, the address carrying the protocol, and the schema's message for a bad capacity.
 */
import { chromium, expect, test, type Page } from "@playwright/test";
import { readFileSync } from "node:fs";

test.describe.configure({ timeout: 180_000 });

async function ready(page: Page) {
  await expect(page.getByTestId("play")).toBeEnabled({ timeout: 90_000 });
  await expect(page.getByTestId("play")).toHaveText("Play");
}

function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  return errors;
}

/** Types `value` into the picker's box for `key` and commits it (Enter). */
async function setNumber(page: Page, key: string, value: string) {
  const box = page.getByTestId(`protocol-${key}`);
  await box.fill(value);
  await box.press("Enter");
}

test("a symmetric protocol cycles: shaded potential, cycle chart, the address carries it, a bad capacity is named", { tag: "@fast" }, async ({ page }, info) => {
  const errors = watchErrors(page);
  await page.goto("/?nx=32&ny=32&dx_um=1&speed=50");
  await ready(page);
  await expect(page.getByTestId("protocol-select")).toHaveValue("none");
  await expect(page.getByTestId("chart-cycles")).toHaveCount(0);

  // 20 mA/cm2, 0.01 mAh/cm2 (1.8 s a half-cycle), 3 cycles on zinc.
  await page.getByTestId("protocol-select").selectOption("symmetric");
  await setNumber(page, "current_mA_cm2", "20");
  await setNumber(page, "capacity_mAh_cm2", "0.01");
  await setNumber(page, "cycles", "3");
  const steps = page.getByTestId("protocol-steps");
  await expect(steps.locator("tbody tr")).toHaveCount(2);
  await expect(steps).toContainText("0.01 mAh/cm²");
  await expect(steps).toContainText("× 3 cycles on zinc");
  // A new protocol waits for a restart, as a new grid does.
  await expect(page.getByTestId("pending-note")).toContainText("the new protocol");

  // A capacity out of the schema's range: its message, and nothing changes.
  await setNumber(page, "capacity_mAh_cm2", "500");
  await expect(page.getByTestId("protocol-error")).toContainText("= 500 is out of range: allowed 0.001 to 100 mAh/cm² (step capacity limit)");
  await expect(page.getByTestId("protocol-error")).toContainText("Nothing changed");
  await expect(steps).toContainText("0.01 mAh/cm²");

  // The address carries the protocol: a reload opens it.
  await expect.poll(() => new URL(page.url()).searchParams.get("protocol")).toBe("symmetric");
  const url = new URL(page.url());
  expect(url.searchParams.get("protocol.capacity_mAh_cm2")).toBe("0.01");
  expect(url.searchParams.get("cycles")).toBe("3");
  await page.reload();
  await ready(page);
  await expect(page.getByTestId("protocol-select")).toHaveValue("symmetric");
  await expect(page.getByTestId("protocol-capacity_mAh_cm2")).toHaveValue("0.01");
  await expect(page.getByTestId("pending-note")).toHaveCount(0);

  const t0 = Date.now();
  await page.getByTestId("play").click();
  const cycles = page.getByTestId("chart-cycles");
  await expect.poll(async () => Number(await cycles.getAttribute("data-points")), { timeout: 90_000 }).toBeGreaterThanOrEqual(2);
  const seconds = (Date.now() - t0) / 1000;
  await expect(cycles.locator(".recharts-line-curve").first()).toBeVisible();
  await expect(cycles.locator(".visually-hidden")).toContainText(/CE [\d.]+ %.*hysteresis [\d.-]+ mV/);
  // The potential chart is shaded by step: plating and stripping bands, named in its key.
  const key = page.getByTestId("step-band-key");
  await expect(key).toContainText("plating (blue)");
  expect(Number(await key.getAttribute("data-bands"))).toBeGreaterThanOrEqual(4);
  await expect(page.getByTestId("chart-voltage").locator(".step-band-plate").first()).toBeAttached();
  await expect(page.getByTestId("chart-voltage").locator(".step-band-strip").first()).toBeAttached();
  // The per-cycle table downloads as the runner's --cycles-csv writes it.
  const [file] = await Promise.all([page.waitForEvent("download"), page.getByTestId("export-cycles-csv").click()]);
  const table = readFileSync((await file.path())!, "utf8").trim().split("\n");
  expect(table[0]).toMatch(/^cycle,plated_mAh_cm2,stripped_mAh_cm2,ce,ce_zn,dead_zn_mAh_cm2,/);
  expect(table.length - 1).toBeGreaterThanOrEqual(2);
  // Dead zinc has its legend entry on the deposit layer.
  await expect(page.getByTestId("key-dead-zinc")).toBeVisible();
  const done = Number(await cycles.getAttribute("data-points"));
  info.annotations.push({ type: "cycles", description: `${done} cycles charted ${seconds.toFixed(1)} s after Play` });
  console.log(`protocol e2e: ${done} cycles charted ${seconds.toFixed(1)} s after Play`);
  expect(errors).toEqual([]);
});

test("a lost GPU device mid-cycle: the protocol run resumes from its checkpoint, clock and cycle table included", async ({ page }) => {
  const errors = watchErrors(page);
  // 40 cycles (144 s): on an idle machine 8 of them were over before the device went, and a run lost after its end
  // stays at its end (e2e/device-loss.spec.ts) where this test wants it to cycle on.
  await page.goto("/?nx=32&ny=32&dx_um=1&speed=20&protocol=symmetric&protocol.current_mA_cm2=20&protocol.capacity_mAh_cm2=0.01&cycles=40");
  await ready(page);
  await page.getByTestId("play").click();
  const cycles = page.getByTestId("chart-cycles");
  const done = async () => Number(await cycles.getAttribute("data-points"));
  // Past a cycle and a checkpoint (every 3 s of wall time while playing).
  await expect.poll(done, { timeout: 90_000 }).toBeGreaterThanOrEqual(1);
  await page.waitForTimeout(4000);
  const before = await page.evaluate(() => (window as unknown as { zil: { loseGpuDevice: () => number } }).zil.loseGpuDevice());
  const banner = page.getByTestId("banner");
  await expect(banner).toContainText("resumed from its checkpoint at t =", { timeout: 90_000 });
  const resumedAt = Number(/t = ([\d.]+) s/.exec((await banner.textContent())!)![1]);
  expect(resumedAt).toBeGreaterThan(0);
  expect(resumedAt).toBeLessThanOrEqual(before + 1e-9);
  // It cycles on from there: more cycles, each numbered once, no error.
  const had = await done();
  await expect.poll(done, { timeout: 90_000 }).toBeGreaterThan(had);
  await expect(page.getByTestId("run-error")).toHaveCount(0);
  await expect(cycles.locator(".visually-hidden")).toContainText(/Cycle \d+: CE [\d.]+ %/);
  expect(errors).toEqual([]);
});

test("without WebGPU the CPU worker cycles the protocol: cycle chart and shading as on the GPU", async () => {
  // A Chromium started without WebGPU (no --enable-unsafe-webgpu): the CPU reference solver in a Web Worker.
  const browser = await chromium.launch({ executablePath: test.info().project.use.launchOptions?.executablePath, args: ["--no-sandbox", "--disable-dev-shm-usage"] });
  try {
    const page = await browser.newPage({ baseURL: test.info().project.use.baseURL });
    const errors = watchErrors(page);
    await page.goto("/?nx=32&ny=32&dx_um=1&speed=20&protocol=zn-cu-ce&protocol.current_mA_cm2=20&protocol.capacity_mAh_cm2=0.01&cycles=2");
    await expect(page.getByTestId("banner")).toContainText("WebGPU is not available");
    await ready(page);
    await expect(page.getByTestId("protocol-substrate")).toHaveValue("cu");
    await page.getByTestId("play").click();
    const cycles = page.getByTestId("chart-cycles");
    await expect.poll(async () => Number(await cycles.getAttribute("data-points")), { timeout: 90_000 }).toBe(2);
    expect(Number(await page.getByTestId("step-band-key").getAttribute("data-bands"))).toBeGreaterThanOrEqual(3);
    await expect(page.getByTestId("run-error")).toHaveCount(0);
    expect(errors).toEqual([]);
  } finally {
    await browser.close();
  }
});

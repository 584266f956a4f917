/**
 * The WGSL engine in real Chromium (WebGPU through SwiftShader here): it agrees with the CPU reference,
 * repeats itself exactly, and continues a run from the other backend's checkpoint.
 */
import { expect, test, type Page } from "@playwright/test";

const FIELDS = ["voltage_V", "uniformity", "roughness_um", "max_height_um", "her_mA_cm2", "h2_mmol_cm2", "ce", "min_surface_c_M", "cracked_fraction"] as const;
/** Below these magnitudes a metric is compared absolutely (1% of a near-zero number is rounding noise). */
const FLOOR: Record<(typeof FIELDS)[number], number> = {
  voltage_V: 1e-3, uniformity: 0.01, roughness_um: 0.01, max_height_um: 0.01, her_mA_cm2: 1e-5, h2_mmol_cm2: 1e-9,
  ce: 0.01, min_surface_c_M: 0.01, cracked_fraction: 0.01,
};
type Row = Record<string, number>;

function expectClose(gpu: Row, cpu: Row, label: string) {
  for (const f of FIELDS) {
    const g = gpu[f]!, c = cpu[f]!;
    expect(Number.isFinite(g), `${label} ${f} finite`).toBe(true);
    expect(Math.abs(g - c), `${label} ${f}: gpu ${g} vs cpu ${c}`).toBeLessThanOrEqual(0.01 * Math.max(Math.abs(c), FLOOR[f]));
  }
}

async function open(page: Page) {
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto("/src/engine/gpu-check.html");
  await expect(page.locator("#status")).toHaveText("ready");
  return errors;
}

// 32 x 32 cells of 1 um; dt = 2 s at 10 mA/cm2, so 400 s are 200 coupled steps.
const scenario = (preset: string, extra: Record<string, unknown> = {}) => ({
  grid: { nx: 32, ny: 32, dx_um: 1 }, duration_s: 400, samples: 4, coating: { preset }, ...extra,
});

test.describe.configure({ timeout: 600_000 });

for (const preset of ["bare", "znf2", "cof", "zns", "pdms-tio2", "carbon"]) {
  test(`GPU and CPU agree within 1% over 200 steps: ${preset}`, async ({ page }) => {
    const errors = await open(page);
    const r = await page.evaluate((s) => window.zil.compare(s), scenario(preset));
    expect(r.errors).toEqual([]);
    expect(r.gpu).toHaveLength(4);
    r.gpu.forEach((g, k) => expectClose(g as unknown as Row, r.cpu[k] as unknown as Row, `${preset} row ${k}`));
    expect(r.gpu.at(-1)!.max_height_um).toBeGreaterThan(r.gpu[0]!.max_height_um); // the deposit grew
    expect(errors).toEqual([]);
  });
}

test("the same seed gives the identical series twice on the GPU", async ({ page }) => {
  await open(page);
  const [a, b] = await page.evaluate((s) => window.zil.repeat(s), scenario("bare", { duration_s: 100, samples: 2 }));
  expect(b).toEqual(a);
});

test("a checkpoint taken on one backend continues the same run on the other", async ({ page }) => {
  await open(page);
  for (const from of ["gpu", "cpu"] as const) {
    const r = await page.evaluate(([s, f]) => window.zil.handOver(s, f), [scenario("self-healing", { duration_s: 200, samples: 2 }), from] as const);
    expectClose(r.resumed as unknown as Row, r.straight as unknown as Row, `from ${from}`);
  }
});

test("Sand's time on the GPU (1d, 100 mA/cm2): the surface concentration reaches zero near t_s", async ({ page }) => {
  await open(page);
  // t_s = pi D (nFc0)^2 / (4 (i (1 - t+))^2) = 195.0 s for these values; sampled every 2.5 s.
  const r = await page.evaluate((s) => window.zil.compare(s), {
    mode: "1d", grid: { nx: 1, ny: 512, dx_um: 4 }, current_mA_cm2: 100, duration_s: 250, samples: 100,
    electrolyte: { c0_M: 2, D_m2_s: 6e-10, t_plus: 0.4 }, coating: { preset: "bare", dG_H_eV: 3.5, water_activity: 0.01 },
  });
  const tSand = 194.98;
  const first = r.gpu.find((row) => row.min_surface_c_M <= 1e-6)!;
  expect(first).toBeDefined();
  expect(Math.abs(first.t_s - tSand) / tSand).toBeLessThan(0.05);
  const before = r.gpu.filter((row) => row.t_s < 0.9 * tSand).at(-1)!;
  expect(before.min_surface_c_M).toBeGreaterThan(0.1);
});

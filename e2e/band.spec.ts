/**
 * Issue 26 (lesson III): the coating band is drawn draped over the deposit, as the model has it, not as a flat strip
 * the metal grows through. Lesson III's soft ionomer (5 um, t+ 0.4, 0.1 GPa, tough: it neither cracks nor holds the
 * deposit flat) plated 300 s at 20 mA/cm2 on 32 x 32 cells of 1 um: on the page's canvas (the GPU's frame, through
 * sim/fieldRenderer.ts) every column of the field shows, from the top down, electrolyte, then the olive band, then
 * the metal right under it (the band sits just outside the xi = 0.5 outline, with no electrolyte between), and no
 * metal above the band, though the outline's height varies across the field by several cells.
 */
import { expect, test } from "@playwright/test";

test.describe.configure({ timeout: 180_000 });

test("lesson III: the coating band lies on the deposit, over its protrusions, with the metal right under it", async ({ page }) => {
  await page.goto("/?preset=speek&c.t_plus=0.4&c.E_GPa=0.1&c.Gc_J_m2=100000&current_mA_cm2=20&duration_s=300&samples=10&nx=32&ny=32&dx_um=1&speed=50&layer=deposit&view=whole");
  await expect(page.getByTestId("play")).toBeEnabled({ timeout: 90_000 });
  await expect(page.getByTestId("key-band")).toHaveText("coating band: olive");
  await page.getByTestId("play").click();
  await expect(page.getByTestId("run-status")).toContainText("done", { timeout: 150_000 });
  const r = await page.getByTestId("field-canvas").evaluate((c: HTMLCanvasElement) => {
    const { width: W, height: H } = c;
    const d = c.getContext("2d")!.getImageData(0, 0, W, H).data;
    const at = (x: number, y: number) => [d[(y * W + x) * 4]!, d[(y * W + x) * 4 + 1]!, d[(y * W + x) * 4 + 2]!] as const;
    // The band over the electrolyte: olive, green well above blue (teal electrolyte and silver metal have blue at or
    // above green). The metal: light, blue at least green (silver, shaded by its outline's normal) or its light rim.
    const olive = (x: number, y: number) => { const [r, g, b] = at(x, y); return g - b > 40 && r > 90; };
    const metal = (x: number, y: number) => { const [r, g, b] = at(x, y); return r > 150 && b >= g - 5; };
    const cell = H / 32;
    const cols: { top: number; bottom: number; metalBelow: boolean; metalAbove: boolean }[] = [];
    for (let x = 2; x < W - 2; x += 2) {
      let y = 0;
      while (y < H && !olive(x, y)) y++;
      const top = y;
      while (y < H && olive(x, y)) y++;
      const bottom = y;
      // The metal within half a cell (and the outline's rim) under the band's last olive pixel.
      let metalBelow = false;
      for (let k = bottom; k < Math.min(H, bottom + Math.ceil(cell / 2) + 3); k++) if (metal(x, k)) metalBelow = true;
      let metalAbove = false;
      for (let k = 0; k < top; k++) if (metal(x, k)) metalAbove = true;
      cols.push({ top, bottom, metalBelow, metalAbove });
    }
    return { W, H, cell, cols };
  });
  const { cell, cols } = r;
  const banded = cols.filter((c) => c.top < r.H);
  const thick = banded.map((c) => (c.bottom - c.top) / cell).sort((a, b) => a - b);
  const outline = banded.map((c) => c.bottom / cell);
  const range = Math.max(...outline) - Math.min(...outline);
  const lowest = banded.reduce((a, c) => (c.bottom > a.bottom ? c : a)), highest = banded.reduce((a, c) => (c.bottom < a.bottom ? c : a));
  console.log(
    `band e2e: ${r.W} x ${r.H} px, ${cell.toFixed(1)} px a cell; ${banded.length} of ${cols.length} columns banded; thickness ` +
      `${thick[0]!.toFixed(2)} to ${thick.at(-1)!.toFixed(2)} cells (median ${thick[thick.length >> 1]!.toFixed(2)}); outline over ${range.toFixed(1)} cells; ` +
      `metal under the band in ${cols.filter((c) => c.metalBelow).length}, above it in ${cols.filter((c) => c.metalAbove).length}; ` +
      `on the highest protrusion ${((highest.bottom - highest.top) / cell).toFixed(2)} cells thick`,
  );
  // Every column carries the band, the metal right under it and none above it: a skin on the metal.
  expect(banded.length).toBe(cols.length);
  expect(cols.filter((c) => !c.metalBelow).length).toBe(0);
  expect(cols.filter((c) => c.metalAbove).length).toBe(0);
  // 5 cells thick (5 um) square to the surface: about that on the highest protrusion's top, at least about that up
  // every column, more only where the surface slopes or a valley narrower than the layer fills.
  const onTop = (highest.bottom - highest.top) / cell;
  expect(Math.abs(onTop - 5)).toBeLessThan(1);
  expect(thick[0]!).toBeGreaterThan(4);
  expect(thick[thick.length >> 1]!).toBeLessThan(8);
  // Over a deposit whose outline varies by several cells (more than a flat band on the mean could have covered),
  // the band's top follows it: higher over the highest protrusion than over the lowest valley by about as much.
  expect(range).toBeGreaterThan(3);
  expect((lowest.top - highest.top) / cell).toBeGreaterThan(range - 2);
});

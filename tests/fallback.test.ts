/** The CPU fallback's grid: the asked one up to CPU_FALLBACK_CELLS cells, otherwise a smaller piece at the same cell size. */
import { describe, expect, it } from "vitest";
import { parseScenario } from "../src/model/scenario.ts";
import { CPU_FALLBACK_CELLS, fallbackGridText, fallbackScenario } from "../src/ui/sim/controller.ts";

const on = (nx: number, ny: number, dx_um = 1) => parseScenario({ grid: { nx, ny, dx_um }, coating: { preset: "cof" } });

describe("fallbackScenario", () => {
  it("keeps every grid of at most 128 x 128 cells as it is", () => {
    for (const [nx, ny] of [[16, 16], [32, 32], [64, 64], [128, 128], [256, 64], [16, 1024]]) {
      const s = on(nx, ny);
      expect(fallbackScenario(s)).toBe(s);
      expect(fallbackGridText(s, s)).toBe(`on the same ${nx} × ${ny} grid`);
    }
  });

  it("halves the longer side of a larger grid until it fits, keeping the cell size and everything else", () => {
    const cases: [number, number, number, number][] = [
      [256, 256, 128, 128], [256, 128, 128, 128], [128, 256, 128, 128], [512, 64, 256, 64], [2048, 2048, 128, 128], [1024, 16, 1024, 16],
    ];
    for (const [nx, ny, wx, wy] of cases) {
      const s = on(nx, ny, 0.5);
      const f = fallbackScenario(s);
      expect([f.grid.nx, f.grid.ny], `${nx} x ${ny}`).toEqual([wx, wy]);
      expect(f.grid.nx * f.grid.ny).toBeLessThanOrEqual(CPU_FALLBACK_CELLS);
      expect(f.grid.dx_um).toBe(0.5);
      expect({ ...f, grid: s.grid }).toEqual(s);
    }
    expect(fallbackGridText(on(256, 128, 0.5), fallbackScenario(on(256, 128, 0.5)))).toBe(
      "on a smaller 128 × 128 grid (64 × 64 µm of the 128 × 64 µm asked, same 0.5 µm cells)",
    );
  });
});

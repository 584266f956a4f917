/**
 * The multigrid's WebAssembly kernels (src/reference/wasm.ts) give the TypeScript kernels' solves to the bit: the
 * same operator, right side and warm start through Multigrid with and without them, on level shapes that take
 * every path (seams, odd dimensions that stop coarsening, a single column, the smallest levels).
 */
import { describe, expect, it } from "vitest";
import { Multigrid } from "../src/reference/multigrid.ts";
import { kernelBytes, wasmAvailable } from "../src/reference/wasm.ts";

/** A small deterministic generator (the same numbers for both solvers). */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function fill(mg: Multigrid, seed: number, e0: number): void {
  const r = rng(seed);
  const f = mg.fine;
  const n = f.nx * f.ny;
  for (let k = 0; k < n; k++) {
    // Conductances over four decades (coatings, metal), as the scenarios' operators have.
    f.ax[k] = f.nx === 1 ? 0 : 10 ** (4 * r() - 2);
    f.ay[k] = 10 ** (4 * r() - 2);
    f.e[k] = e0 * (1 + r());
    f.b[k] = r() - 0.5;
    f.u[k] = r() - 0.5;
  }
}

describe("the multigrid's WebAssembly kernels", () => {
  it("compile here (Node) and the module is valid", () => {
    expect(wasmAvailable()).toBe(true);
    expect(WebAssembly.validate(kernelBytes() as BufferSource)).toBe(true);
  });

  const shapes: [number, number][] = [[64, 64], [32, 16], [16, 48], [8, 9], [12, 6], [4, 4], [2, 8], [1, 32], [1, 9], [64, 3]];
  for (const [nx, ny] of shapes) {
    it(`solve as the TypeScript kernels do, to the bit (${nx} x ${ny})`, () => {
      for (const e0 of [0, 1]) {
        const ts = new Multigrid(nx, ny, null, false);
        const wa = new Multigrid(nx, ny, null, true);
        fill(ts, nx * 1000 + ny + e0, e0);
        fill(wa, nx * 1000 + ny + e0, e0);
        ts.coarsen();
        wa.coarsen();
        const a = ts.solve(1e-12, 40, 0, 1e-12);
        const b = wa.solve(1e-12, 40, 0, 1e-12);
        expect(b.cycles).toBe(a.cycles);
        expect(Object.is(b.residual, a.residual)).toBe(true);
        const diff = wa.fine.u.findIndex((v, k) => !Object.is(v, ts.fine.u[k]));
        expect(diff, `first difference at cell ${diff} (e0 = ${e0})`).toBe(-1);
        ts.levels.forEach((lv, l) => {
          const d = wa.levels[l]!.u.findIndex((v, k) => !Object.is(v, lv.u[k]));
          expect(d, `level ${l}: first difference at cell ${d}`).toBe(-1);
        });
      }
    });
  }
});

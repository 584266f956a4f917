/**
 * Allen-Cahn substeps of a long step (docs/MODEL.md, "Time stepping"): at rest a step is longer than the explicit
 * Allen-Cahn update's monotone bound, so the phase field's Allen-Cahn change over the step is that of
 * co.acSubsteps explicit substeps of dt / m from the step's xi, each within the bound; the reaction, the potential
 * and the concentration take the step whole. The change is carried as a sum of increments (not as the end value
 * minus the start), so it keeps its own precision, as the GPU's f32 does (shaders/allen_cahn.wgsl acSub). Dead
 * cells stand still, and capillarity never takes a cell below a copper substrate's own metal, as in a single step.
 */
import { allenCahnRate } from "../model/allenCahn.ts";
import type { CpuSolver } from "./solver.ts";

/** The Allen-Cahn change of each cell over the step (xi units) into `out`; `tmp` is scratch of the same size. */
export function acSubsteps(s: CpuSolver, out: Float64Array, tmp: Float64Array): void {
  const { nx, ny, xi, co } = s;
  const m = co.acSubsteps;
  const h = co.gammaDt / m;
  const ell2 = 2 * co.ell * co.ell;
  const aniso = co.aniso;
  const acRate = allenCahnRate;
  const dead = s.deadZinc?.any ? s.deadZinc.dead : null;
  const floor = s.xiFloor;
  // m substeps from a = 0 (the step's xi); the last writes `out`.
  let a = m % 2 === 0 ? out : tmp;
  let b = m % 2 === 0 ? tmp : out;
  a.fill(0);
  for (let k = 0; k < m; k++) {
    for (let j = 0; j < ny; j++) {
      const row = j * nx;
      for (let i = 0; i < nx; i++) {
        const P = row + i;
        if (dead && dead[P]) { b[P] = 0; continue; }
        const W = row + (i === 0 ? nx - 1 : i - 1), E = row + (i === nx - 1 ? 0 : i + 1);
        const x = xi[P]! + a[P]!;
        const xW = xi[W]! + a[W]!, xE = xi[E]! + a[E]!;
        const xS = j > 0 ? xi[P - nx]! + a[P - nx]! : x;
        const xN = j < ny - 1 ? xi[P + nx]! + a[P + nx]! : x;
        let d = h * acRate(x, xW + xE + xS + xN - 4 * x, 0.5 * (xE - xW), 0.5 * (xN - xS), ell2, aniso);
        if (floor && d < 0) d = Math.max(d, Math.min(0, floor[P]! - x));
        b[P] = a[P]! + d;
      }
    }
    const t = a; a = b; b = t;
  }
}

/**
 * Step 1 of the CPU solver: the column pass (deposit volume per column, mean height -> where the coating band
 * sits, each column's protrusion above its neighbours) and the coating's mechanics (Maxwell stress from
 * protrusions, cracking by the Griffith energy criterion, self-healing).
 */
import { columnTops } from "./diagnostics.ts";
import type { CpuSolver } from "./solver.ts";

/** Cap on the overpotential a stressed coating adds against Zn plating (V). */
const MAX_PENALTY_V = 0.5;

/** Column i's membrane strain of the coating from its deposit standing above the mean. */
export function strainOf(s: CpuSolver, i: number): number {
  // Membrane strain of a layer draped over a bump of height d and width lambda: (8/3) (d / lambda)^2.
  const d = (Math.max(0, s.colVol[i]! - s.meanVol) * s.co.dx) / s.co.strainLength;
  return (8 / 3) * d * d;
}

/** Column volumes, their mean, each column's protrusion (2d) and the coating band's share of each row. */
export function columnPass(s: CpuSolver): void {
  const { nx, ny, co, xi } = s;
  let total = 0;
  for (let i = 0; i < nx; i++) {
    let v = 0;
    for (let j = 0; j < ny; j++) v += xi[j * nx + i]!;
    s.colVol[i] = v;
    total += v;
  }
  s.meanVol = co.mode === "1d" ? 0 : total / nx;
  if (co.mode === "2d") {
    columnTops(s, s.tops);
    const R = co.tipWindow;
    for (let i = 0; i < nx; i++) {
      let m = 0;
      for (let d = -R; d <= R; d++) m += s.tops[(i + d + nx) % nx]!;
      s.protrusion[i] = Math.max(0, s.tops[i]! - m / (2 * R + 1));
    }
  }
  const lo = s.meanVol, hi = s.meanVol + co.bandCells;
  for (let j = 0; j < ny; j++) s.bandFrac[j] = co.hasCoating ? Math.max(0, Math.min(j + 1, hi) - Math.max(j, lo)) : 0;
}

/** The coating's stress, cracking and healing per column, and from them its overpotential penalty. */
export function mechanics(sv: CpuSolver): void {
  const { co, nx } = sv;
  if (!co.hasCoating || co.mode === "1d") return;
  for (let i = 0; i < nx; i++) {
    const eps = strainOf(sv, i);
    let k = sv.integrity[i]!;
    let s = Math.max(0, (sv.stress[i]! + co.E * k * (eps - sv.strainPrev[i]!)) * co.stressDecay);
    if ((s * s * co.thickness) / (2 * co.E) > co.Gc) {
      k = 0; // Griffith: the stored elastic energy per area exceeds the fracture energy
      s = 0;
    }
    k += (1 - k) * co.healStep;
    sv.integrity[i] = k;
    sv.stress[i] = s;
    sv.strainPrev[i] = eps;
    sv.penalty[i] = Math.min(MAX_PENALTY_V, co.penaltyPerPa * s * k);
  }
}

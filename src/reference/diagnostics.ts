/**
 * What the CPU solver reports of its state without changing it: the deposit's column tops, the surface
 * concentration, a sample's metrics, the HER current per cell and the Zn mass balance.
 */
import { FARADAY } from "../model/constants.ts";
import { sampleTime, type SeriesRow } from "../model/metrics.ts";
import { expClip } from "./numerics.ts";
import type { CpuSolver } from "./solver.ts";

/** Height of the highest xi = 0.5 crossing in each column, in cells from the bottom. */
export function columnTops(s: CpuSolver, tops: Float64Array = new Float64Array(s.nx)): Float64Array {
  const { nx, ny, xi } = s;
  for (let i = 0; i < nx; i++) {
    let t = 0;
    for (let j = ny - 1; j >= 0; j--) {
      const a = xi[j * nx + i]!;
      if (a >= 0.5) {
        const b = j < ny - 1 ? xi[(j + 1) * nx + i]! : 0;
        t = j + 0.5 + (a - 0.5) / Math.max(1e-12, a - b);
        break;
      }
    }
    tops[i] = t;
  }
  return tops;
}

/** Raw surface concentration (scaled): 1d: extrapolated to the electrode face; 2d: min at the interface. */
export function surfaceConcentration(s: CpuSolver): number {
  const { nx, ny, xi, c, co } = s;
  if (co.mode === "1d") return 1.5 * c[0]! - 0.5 * c[nx]!;
  let m = Infinity;
  for (let P = 0; P < nx * ny; P++) {
    const x = xi[P]!;
    if (x > 0.02 && x < 0.5 && c[P]! < m) m = c[P]!;
  }
  return Number.isFinite(m) ? m : 1;
}

/** The sample row of the solver's state now. */
export function metrics(sv: CpuSolver): SeriesRow {
  const { co, nx } = sv;
  const tops = columnTops(sv);
  let mean = 0, max = -Infinity;
  for (let i = 0; i < nx; i++) { mean += tops[i]!; max = Math.max(max, tops[i]!); }
  mean /= nx;
  let rough = 0;
  for (let i = 0; i < nx; i++) rough += (tops[i]! - mean) ** 2;
  rough = Math.sqrt(rough / nx);
  // Uniformity: 1 - CV of the Zn deposition current per column, each column taking its strip's mean (strips of
  // co.uniformityBin columns, LENGTHS_UM.uniformityBin wide: the same measure at every cell size).
  let jm = 0, j2 = 0;
  const k = co.uniformityBin;
  for (let b = 0; b < nx; b += k) {
    const e = Math.min(nx, b + k);
    let s = 0;
    for (let i = b; i < e; i++) for (let j = 0; j < sv.ny; j++) s += sv.qZnCell[j * nx + i]!;
    jm += s;
    j2 += (s * s) / (e - b);
  }
  jm /= nx;
  const cv = jm !== 0 ? Math.sqrt(Math.max(0, j2 / nx - jm * jm)) / Math.abs(jm) : 0;
  let cracked = 0;
  if (co.hasCoating && co.mode === "2d") { for (let i = 0; i < nx; i++) cracked += 1 - sv.integrity[i]!; cracked /= nx; }
  // Net Zn dissolution (corrosion outrunning a small plating current) counts as zero efficiency.
  const qZnPos = Math.max(0, sv.qZn);
  const qTot = qZnPos + sv.qH;
  const is1d = co.mode === "1d";
  return {
    t_s: sampleTime(sv.step, co.dt),
    voltage_V: sv.u / co.fNRT,
    uniformity: Math.max(0, Math.min(1, 1 - cv)),
    roughness_um: is1d ? 0 : rough * co.dx * 1e6,
    max_height_um: is1d ? 0 : Math.max(0, max - co.substrateCells) * co.dx * 1e6,
    her_mA_cm2: sv.lastIH * 0.1,
    h2_mmol_cm2: (sv.qH / (2 * FARADAY)) * 0.1,
    ce: qTot > 0 ? qZnPos / qTot : 1,
    min_surface_c_M: Math.max(0, surfaceConcentration(sv)) * co.c0 * 1e-3,
    cracked_fraction: cracked,
  };
}

/**
 * The HER volume current of each cell in the last step this solver took (A/m3; row j * nx + i, j = 0 at the
 * electrode): the corrector's HER weights at its electrode potential, exactly the qH of step 4 (the GPU's
 * react.z * S[S_EH]). Zero before the first step. Reads only; changes nothing.
 */
export function herCurrent(s: CpuSolver, out: Float32Array = new Float32Array(s.nx * s.ny)): Float32Array {
  const n = s.nx * s.ny;
  if (out.length < n) throw new Error(`herCurrent: the buffer holds ${out.length} cells, ${n} needed`);
  const eH = expClip(-s.co.alphaHrel * s.u);
  for (let P = 0; P < n; P++) out[P] = s.wHer[P]! * eH;
  return out;
}

/** Mass balance in scaled cell units: Zn in solution, deposited since the start, and in through the reservoir. */
export function massBalance(s: CpuSolver): { solution: number; deposit: number; influx: number } {
  let sol = 0;
  for (let P = 0; P < s.c.length; P++) sol += s.c[P]!;
  return { solution: sol, deposit: s.depositChange, influx: s.topInflux };
}

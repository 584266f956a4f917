/**
 * Step 1 of the CPU solver: the column pass (deposit volume per column, mean height -> where the coating band
 * sits, each column's protrusion above its neighbours) and the coating's mechanics (Maxwell stress from
 * protrusions, cracking by the Griffith energy criterion, self-healing).
 */
import { windowReach, windowShare } from "../model/lengths.ts";
import { columnTops } from "./diagnostics.ts";
import type { CpuSolver } from "./solver.ts";

/** Cap on the overpotential a stressed coating adds against Zn plating (V). */
const MAX_PENALTY_V = 0.5;

/** Column i + d of nx, periodic in x (a window may be wider than the cell): columns.wgsl wrapColumn. */
const wrapColumn = (i: number, d: number, nx: number): number => (((i + d) % nx) + nx) % nx;

/**
 * Column i's membrane strain of the coating from the deposit standing above the mean, its height averaged over the
 * strain window (LENGTHS_UM.strainWindow) around the column.
 */
export function strainOf(s: CpuSolver, i: number): number {
  const { nx, strainHalf } = s.co;
  const R = windowReach(strainHalf);
  let v = 0, w = 0;
  for (let d = -R; d <= R; d++) {
    const a = windowShare(d, strainHalf);
    v += a * s.colVol[wrapColumn(i, d, nx)]!;
    w += a;
  }
  // Membrane strain of a layer draped over a bump of height d and width lambda: (8/3) (d / lambda)^2.
  const d = (Math.max(0, v / w - s.meanVol) * s.co.dx) / s.co.strainLength;
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
      for (let d = -R; d <= R; d++) m += s.tops[wrapColumn(i, d, nx)]!;
      s.protrusion[i] = Math.max(0, s.tops[i]! - m / (2 * R + 1));
    }
  }
  const lo = s.meanVol, hi = s.meanVol + co.bandCells;
  for (let j = 0; j < ny; j++) s.bandFrac[j] = co.hasCoating ? Math.max(0, Math.min(j + 1, hi) - Math.max(j, lo)) : 0;
}

/** Field value at height y (cells above the bottom; cell j's centre is j + 0.5) in column i, linear in y. */
function alongColumn(f: ArrayLike<number>, nx: number, ny: number, i: number, y: number): number {
  const jf = Math.min(ny - 1, Math.max(0, y - 0.5));
  const j0 = Math.min(ny - 2, Math.floor(jf));
  const t = jf - j0;
  return (1 - t) * f[j0 * nx + i]! + t * f[(j0 + 1) * nx + i]!;
}

/**
 * The tip closure's drive per column (V per cell; 0 where the column does not protrude). The field is read ahead of
 * the column's top, between tipProbeNear and tipProbeFar above it (fixed lengths in um, outside the diffuse
 * interface, so the same at every cell size): |d phi/dy| and (RT/nF) |d c~/dy| / c~. Current and Zn2+ flux are
 * continuous, so at the tip, under the layer that covers it where intact (its own sigma, D and t+, weighted by the
 * column's integrity), the field is that one times sigma_ahead / sigma_tip and the concentration gradient times
 * D_ahead / D_tip (ahead: the coating band's composite where the probe lies in the band, the liquid's elsewhere);
 * the whole times the anion share of the current at the tip, (1 - t+) / (1 - t+_liquid).
 */
export function tipDrives(s: CpuSolver): void {
  const { nx, ny, co, phi, c, tops, protrusion, tipDrive, integrity } = s;
  const y1 = co.tipProbeNear, dy = co.tipProbeFar - co.tipProbeNear;
  const lo = s.meanVol, hi = s.meanVol + co.bandCells;
  const mid = y1 + 0.5 * dy;
  for (let i = 0; i < nx; i++) {
    if (!(protrusion[i]! > 0)) {
      tipDrive[i] = 0;
      continue;
    }
    const top = tops[i]!, a = top + y1, b = a + dy;
    const k = co.hasCoating ? integrity[i]! : 0;
    const chi = top + mid >= lo && top + mid < hi ? k : 0;
    const sRatio = (chi * co.sBandY + 1 - chi) / (k * co.coatS + 1 - k);
    const dRatio = (chi * co.dBandY + (1 - chi) * co.dLiquid) / (k * co.coatD + (1 - k) * co.dLiquid);
    const gphi = Math.abs(alongColumn(phi, nx, ny, i, b) - alongColumn(phi, nx, ny, i, a)) / dy;
    const ca = alongColumn(c, nx, ny, i, a);
    const gc = Math.abs(alongColumn(c, nx, ny, i, b) - ca) / dy / Math.max(0.05, ca) / co.fNRT;
    const anion = (1 - (k * co.coatTp + (1 - k) * co.tpLiquid)) / (1 - co.tpLiquid);
    tipDrive[i] = anion * (gphi * sRatio + gc * dRatio);
  }
}

/**
 * The coating's stress, cracking and healing per column, and from them its overpotential penalty, in two passes as
 * on the GPU (columns.wgsl colMech, colOpen). 1: each column's stress, and the Griffith test: a column that cracks
 * keeps its released stress as -s (read as 0 from then on), which marks it for pass 2. 2: a crack opens a gap
 * LENGTHS_UM.crackOpening wide centred on its column: each column's integrity falls to at most the share of it
 * outside every gap; then healing, and the penalty.
 */
export function mechanics(sv: CpuSolver): void {
  const { co, nx, stress, integrity } = sv;
  if (!co.hasCoating || co.mode === "1d") return;
  for (let i = 0; i < nx; i++) {
    const eps = strainOf(sv, i);
    let s = Math.max(0, (Math.max(0, stress[i]!) + co.E * integrity[i]! * (eps - sv.strainPrev[i]!)) * co.stressDecay);
    // Griffith: the stored elastic energy per area exceeds the fracture energy.
    if ((s * s * co.thickness) / (2 * co.E) > co.Gc) s = -s;
    stress[i] = s;
    sv.strainPrev[i] = eps;
  }
  const G = windowReach(co.crackHalf);
  for (let i = 0; i < nx; i++) {
    let open = 0;
    for (let d = -G; d <= G; d++) if (stress[wrapColumn(i, d, nx)]! < 0) open = Math.max(open, windowShare(d, co.crackHalf));
    let k = Math.min(integrity[i]!, 1 - open);
    k += (1 - k) * co.healStep;
    integrity[i] = k;
    sv.penalty[i] = Math.min(MAX_PENALTY_V, co.penaltyPerPa * Math.max(0, stress[i]!) * k);
  }
}

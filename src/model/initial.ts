/**
 * Initial state of a run: the Zn substrate, the seeded nuclei and the nucleation site factor per column.
 * Built once here (pure, deterministic) and uploaded as is by both backends, so they start identical.
 */
import { allenCahnRate, monotoneStep } from "./allenCahn.ts";
import { MODEL_CONSTANTS, type Coefficients } from "./coefficients.ts";
import { LENGTHS_UM } from "./lengths.ts";

/** splitmix32: small, fast, well-distributed; the seed fully determines the nuclei. */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return ((z ^ (z >>> 16)) >>> 0) / 4294967296;
  };
}

/** A nucleus's centre on the substrate and its radius, in cells of the run's grid (placed in um: placeNuclei). */
export interface Nucleus { x: number; r: number }

export interface InitialState {
  xi: Float32Array;
  c: Float32Array;
  phi: Float32Array;
  /** Per column: cathodic multiplier on the pristine substrate (1 under a nucleus). */
  site: Float32Array;
  /**
   * On a copper substrate: the copper's own metal per cell, below which xi never falls (it does not strip); its
   * nuclei are sites only (site = 1 there), no zinc is laid. Null on zinc.
   */
  xiFloor: Float32Array | null;
  nuclei: Nucleus[];
}

/** Nuclei: zincophilic layers (lower eta_nuc) give more, more evenly spaced nuclei. */
export function placeNuclei(co: Coefficients, seed: number): Nucleus[] {
  if (co.mode === "1d") return [];
  const K = MODEL_CONSTANTS;
  const ratio = (co.coating.eta_nuc_mV * 1e-3) / K.etaNucBare_V;
  // In um throughout (LENGTHS_UM), so the same seed places the same nuclei at every cell size; cells at the end.
  const L = LENGTHS_UM, dxUm = co.dx * 1e6, width = co.nx * dxUm;
  const spacing = Math.max(L.nucleusMinSpacing, L.nucleusSpacingBare * ratio * ratio);
  const n = Math.max(1, Math.round(width / spacing));
  const jitter = Math.min(1, ratio);
  const next = rng(seed);
  const pitch = width / n;
  const offset = next() * pitch;
  const nuclei: Nucleus[] = [];
  for (let k = 0; k < n; k++) {
    const x = (offset + (k + 0.5 + jitter * (next() - 0.5)) * pitch) % width;
    const r = L.nucleusRadiusMin + (L.nucleusRadiusMax - L.nucleusRadiusMin) * jitter * next();
    nuclei.push({ x: x / dxUm, r: r / dxUm });
  }
  return nuclei;
}

const logistic = (d: number, ell: number) => 1 / (1 + Math.exp(Math.max(-60, Math.min(60, d / ell))));

export function initialState(co: Coefficients, seed: number): InitialState {
  const state = laidState(co, seed);
  const cu = co.substrate === "cu";
  if (co.mode === "2d") relaxProfiles(state.xi, co, relaxRows(co, cu ? [] : state.nuclei));
  if (cu && co.mode === "2d") state.xiFloor = state.xi.slice();
  return state;
}

/** The substrate and nuclei as laid down (logistic profiles), before relaxProfiles; initialState's first part. */
export function laidState(co: Coefficients, seed: number): InitialState {
  const { nx, ny } = co;
  const xi = new Float32Array(nx * ny);
  const c = new Float32Array(nx * ny).fill(1);
  const phi = new Float32Array(nx * ny);
  const site = new Float32Array(nx).fill(co.mode === "1d" ? 1 : co.nucleationFactor);
  const nuclei = placeNuclei(co, seed);
  if (co.mode === "1d") return { xi, c, phi, site, nuclei, xiFloor: null };
  const y0 = co.substrateCells;
  // On copper the nuclei are the favoured sites of the first plating, not zinc already there.
  const laid = co.substrate === "cu" ? [] : nuclei;
  for (let i = 0; i < nx; i++) {
    const xc = i + 0.5;
    for (const nu of nuclei) {
      const dxp = Math.abs(xc - nu.x);
      if (Math.min(dxp, nx - dxp) < nu.r) site[i] = 1;
    }
    for (let j = 0; j < ny; j++) {
      const yc = j + 0.5;
      let v = logistic(yc - y0, co.ell);
      for (const nu of laid) {
        const dxp = Math.abs(xc - nu.x);
        const d = Math.hypot(Math.min(dxp, nx - dxp), yc - y0) - nu.r;
        v = Math.max(v, logistic(d, co.ell));
      }
      xi[j * nx + i] = v;
    }
  }
  return { xi, c, phi, site, nuclei, xiFloor: null };
}

/** The rows relaxProfiles works on: up to RELAX_MARGIN_ELL interface half-widths above the highest nucleus. */
const relaxRows = (co: Coefficients, nuclei: Nucleus[]) =>
  Math.min(co.ny, Math.ceil(co.substrateCells + Math.max(0, ...nuclei.map((nu) => nu.r)) + RELAX_MARGIN_ELL * co.ell));

/** Half-widths above the highest nucleus that the relaxation reaches (the logistic tail there is below 1e-5). */
const RELAX_MARGIN_ELL = 13;
/**
 * Pseudo-time of the relaxation (in 1 / Gamma): 60 monotone pseudo-steps at l = 0.6 cells, where the interface's
 * Allen-Cahn part fell 70-fold by 30 steps and no further by 100 (32 x 32, bare Zn). The steps it takes grow as
 * (l / dx)^2 (the monotone pseudo-step shrinks so), so that finer cells relax as far.
 */
const RELAX_TIME = 60 * monotoneStep(0.6, 0);

/**
 * Brings the logistic profiles to the discrete Allen-Cahn equilibrium of each column, keeping each column's metal.
 * The logistic is the continuum's flat equilibrium, but on a grid whose interface is 0.6 cells wide, and where the
 * nuclei meet the substrate (a union, with corners), it is not the discrete one: left as it was, the first steps'
 * relaxation grew metal that the model counts as Zn current (the Allen-Cahn part of nF c_s dxi/dt), up to twice the
 * applied 1 mA/cm2, so the electrochemical part turned anodic and E_m started positive while plating (+21 mV).
 * Each pseudo-step is the solver's own Allen-Cahn operator (allenCahn.ts: the double well, the anisotropic
 * Laplacian) minus, per column, its mean over the interface weight h'(xi), so the column's volume, and with it every
 * nucleus, stays as placed (a global constraint instead would let curvature flow melt the nuclei into the
 * substrate). At a monotone pseudo-step (the solver's bound on dt Gamma); rows below `rows` only.
 */
export function relaxProfiles(xi: Float32Array, co: Coefficients, rows: number): void {
  const { nx } = co;
  const ell2 = 2 * co.ell * co.ell;
  const tau = monotoneStep(co.ell, co.aniso);
  const x = Float64Array.from(xi.subarray(0, rows * nx));
  const r = new Float64Array(rows * nx);
  const sum = new Float64Array(nx), weight = new Float64Array(nx);
  const hp = (v: number) => 30 * v * v * (1 - v) * (1 - v);
  const steps = Math.ceil(RELAX_TIME / monotoneStep(co.ell, 0) - 1e-9);
  for (let it = 0; it < steps; it++) {
    sum.fill(0);
    weight.fill(0);
    for (let j = 0; j < rows; j++) {
      for (let i = 0; i < nx; i++) {
        const P = j * nx + i, v = x[P]!;
        const xW = x[j * nx + (i === 0 ? nx - 1 : i - 1)]!, xE = x[j * nx + (i === nx - 1 ? 0 : i + 1)]!;
        const xS = j > 0 ? x[P - nx]! : v, xN = j < rows - 1 ? x[P + nx]! : v;
        const rac = allenCahnRate(v, xW + xE + xS + xN - 4 * v, 0.5 * (xE - xW), 0.5 * (xN - xS), ell2, co.aniso);
        r[P] = rac;
        sum[i] += rac;
        weight[i] += hp(v);
      }
    }
    for (let P = 0; P < rows * nx; P++) {
      const i = P % nx, v = x[P]!;
      const lambda = weight[i]! > 0 ? sum[i]! / weight[i]! : 0;
      x[P] = Math.min(1, Math.max(0, v + tau * (r[P]! - lambda * hp(v))));
    }
  }
  for (let P = 0; P < rows * nx; P++) xi[P] = x[P]!;
}

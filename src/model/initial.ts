/**
 * Initial state of a run: the Zn substrate, the seeded nuclei and the nucleation site factor per column.
 * Built once here (pure, deterministic) and uploaded as is by both backends, so they start identical.
 */
import { MODEL_CONSTANTS, type Coefficients } from "./coefficients.ts";

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

export interface Nucleus { x: number; r: number } // cells

export interface InitialState {
  xi: Float32Array;
  c: Float32Array;
  phi: Float32Array;
  /** Per column: cathodic multiplier on the pristine substrate (1 under a nucleus). */
  site: Float32Array;
  nuclei: Nucleus[];
}

/** Nuclei: zincophilic layers (lower eta_nuc) give more, more evenly spaced nuclei. */
export function placeNuclei(co: Coefficients, seed: number): Nucleus[] {
  if (co.mode === "1d") return [];
  const K = MODEL_CONSTANTS;
  const ratio = (co.coating.eta_nuc_mV * 1e-3) / K.etaNucBare_V;
  const spacing = Math.max(3, (K.nucleusSpacingBare_m * ratio * ratio) / co.dx); // cells
  const n = Math.max(1, Math.round(co.nx / spacing));
  const jitter = Math.min(1, ratio);
  const next = rng(seed);
  const pitch = co.nx / n;
  const offset = next() * pitch;
  const nuclei: Nucleus[] = [];
  for (let k = 0; k < n; k++) {
    const x = (offset + (k + 0.5 + jitter * (next() - 0.5)) * pitch) % co.nx;
    const r = 1.5 + 1.5 * jitter * next();
    nuclei.push({ x, r });
  }
  return nuclei;
}

const logistic = (d: number, ell: number) => 1 / (1 + Math.exp(Math.max(-60, Math.min(60, d / ell))));

export function initialState(co: Coefficients, seed: number): InitialState {
  const { nx, ny } = co;
  const xi = new Float32Array(nx * ny);
  const c = new Float32Array(nx * ny).fill(1);
  const phi = new Float32Array(nx * ny);
  const site = new Float32Array(nx).fill(co.mode === "1d" ? 1 : co.nucleationFactor);
  const nuclei = placeNuclei(co, seed);
  if (co.mode === "1d") return { xi, c, phi, site, nuclei };
  const y0 = co.substrateCells;
  for (let i = 0; i < nx; i++) {
    const xc = i + 0.5;
    for (const nu of nuclei) {
      const dxp = Math.abs(xc - nu.x);
      if (Math.min(dxp, nx - dxp) < nu.r) site[i] = 1;
    }
    for (let j = 0; j < ny; j++) {
      const yc = j + 0.5;
      let v = logistic(yc - y0, co.ell);
      for (const nu of nuclei) {
        const dxp = Math.abs(xc - nu.x);
        const d = Math.hypot(Math.min(dxp, nx - dxp), yc - y0) - nu.r;
        v = Math.max(v, logistic(d, co.ell));
      }
      xi[j * nx + i] = v;
    }
  }
  return { xi, c, phi, site, nuclei };
}

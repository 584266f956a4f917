/** Small numeric helpers and constants shared by the CPU reference solver's parts. */
import { FARADAY, N_ZN } from "../model/constants.ts";

/** Charge per mole of Zn plated (C/mol). */
export const NF = N_ZN * FARADAY;

/**
 * Each solve's first guess: the linear extrapolation in time of its last two solutions, 2 u^n - u^(n-1) (the time
 * step is fixed within a run). The solves still end at their tolerances; from the extrapolation they need fewer
 * iterations than from u^n (docs/PERFORMANCE.md: -15 % to -33 % of the V-cycles a step). The GPU engine does the
 * same for c (concentration.wgsl concRhs), not for the potential (CpuSolver.extrapolatePotential).
 */
export function warmStart(u: number, prev: number): number {
  return 2 * u - prev;
}

/** Exponentials of the kinetics, clipped so that no input of the valid range overflows (e^60 ~ 1e26). */
export const expClip = (x: number) => Math.exp(Math.max(-60, Math.min(60, x)));

/** The phase field's interpolation h(xi) = xi^3 (6 xi^2 - 15 xi + 10): metal fraction of a cell. */
export const hInterp = (x: number) => x * x * x * (x * (6 * x - 15) + 10);
/** Harmonic mean of two cells' coefficients: the coefficient of the face between them. */
export const harmonic = (a: number, b: number) => (2 * a * b) / (a + b);

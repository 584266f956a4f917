/**
 * The discrete Allen-Cahn operator of MODEL.md's growth equation, per cell: the double well and the anisotropic
 * Laplacian, -(g'(xi)/W - kappa(theta)/W lap xi) with kappa(theta) = kappa0 (1 + delta cos(6 theta)), in units of
 * L_sigma W (the solver multiplies by L_sigma W; the initial state's relaxation steps it in pseudo-time). One copy
 * for the CPU reference and the initial state (the WGSL kernels keep their own).
 */

/** cos(6 theta) of the interface normal (gx, gy), from the gradient's components alone; 0 where there is none. */
export function sixFoldCos(gx: number, gy: number): number {
  const a = gx * gx, b = gy * gy, g2 = a + b;
  return g2 > 1e-12 ? (a * a * a - 15 * a * a * b + 15 * a * b * b - b * b * b) / (g2 * g2 * g2) : 0;
}

/** The Allen-Cahn rate at a cell of phase field `x`, given its 5-point Laplacian, its central gradient, 2 l^2 and delta. */
export function allenCahnRate(x: number, lap: number, gx: number, gy: number, ell2: number, aniso: number): number {
  return -(2 * x * (1 - x) * (1 - 2 * x) - ell2 * (1 + aniso * sixFoldCos(gx, gy)) * lap);
}

/**
 * The longest monotone explicit Allen-Cahn step, in 1 / Gamma, at l = `ellCells` cells and anisotropy up to `aniso`:
 * 1 / (2 + 16 l^2 (1 + delta)). Frozen at the cell's own coefficients the update keeps its new xi a combination of
 * the old ones with weights >= 0 while dt Gamma (g''max + 4 * 2 l^2 (1 + delta)) <= 1, g''max = 2: this is half of
 * that in the Laplacian's share, a margin for cos 6 theta, which moves with the neighbours. Both the run's time
 * step (coefficients.ts stepSchedule) and the initial relaxation's pseudo-step (initial.ts) take it.
 */
export function monotoneStep(ellCells: number, aniso: number): number {
  return 1 / (2 + 16 * ellCells * ellCells * (1 + Math.abs(aniso)));
}

/**
 * The by-product Zn4(OH)6SO4·xH2O on the CPU solver (docs/MODEL.md, "By-product"): where the ion product
 * [Zn2+]^4 [OH-]^6 [SO4 2-] of a liquid cell exceeds its solubility product, it precipitates until the product is
 * back at it, taking 4 Zn2+ and 6 OH- (alkalinity) per formula unit; the solid stays where it formed, a porous
 * insulating film that covers the reaction of the metal beneath it. Plain TypeScript loops. Precipitation is solved
 * with the alkalinity's diffusion, as an obstacle problem (w at most its saturation): split from it, one step's
 * implicit diffusion (D_OH dt / dx^2 ~ 1e7) would spread the step's OH- over the whole diffusion layer first and
 * precipitate it there, or, precipitated before it, in the source cell alone, leaving none to diffuse away.
 */
import type { CpuSolver } from "./solver.ts";

/**
 * log10 of the solubility product of Zn4(OH)6SO4·xH2O used here, in (mol/L)^11. Estimate: set so that it
 * precipitates from 2 M ZnSO4 from pH 5.5, the onset the Zn-battery literature reports (the by-product appears where
 * HER has raised the local pH past about 5-6): 4 log10(2) + 6 (5.5 - 14) + log10(2) = -49.5.
 */
export const LOG_KSP_ZHS = 5 * Math.log10(2) + 6 * (5.5 - 14);
/** Molar volume of Zn4(OH)6SO4·4H2O (m3/mol): 531.6 g/mol / 2.6 g/cm3 (estimate of the density of the hydrated salt). */
export const ZHS_MOLAR_VOLUME = 531.6e-3 / 2600;
/** Porosity of the film (estimate: a loosely packed platelet film): a cell covers its metal fully at solid fraction 1 - porosity. */
export const ZHS_POROSITY = 0.5;
/**
 * The share of a fully covered metal's reaction that still runs, through pores that reach the metal (estimate, 5 %):
 * under galvanostatic control a film that shut it off completely would leave no current anywhere on a covered planar
 * electrode; this one raises the overpotential by ln(20) / (a f), 77 mV.
 */
export const ZHS_OPEN_FLOOR = 0.05;
/**
 * The film's ionic transport through its pores, relative to free electrolyte: Bruggeman's porosity^1.5 (Bruggeman,
 * Ann. Phys. 1935; the usual tortuosity estimate for a packed porous layer), 0.35 at porosity 0.5. Conductivity and
 * the Zn2+ and OH- diffusivities take it alike.
 */
export const ZHS_PORE_TRANSPORT = ZHS_POROSITY ** 1.5;

/**
 * The share of a cell that film covers: its solid fraction m V_ZHS over the fraction that covers fully (1 - porosity).
 */
export const filmCover = (m: number): number => Math.min(1, (m * ZHS_MOLAR_VOLUME) / (1 - ZHS_POROSITY));

/**
 * The alkalinity (mol/m3) at which the by-product saturates over Zn2+ z and sulfate so4 (mol/m3): [OH-] from
 * [Zn2+]^4 [OH-]^6 [SO4 2-] = K_sp (mol/L), less K_w / [OH-]. Infinity where there is no Zn2+.
 */
export function saturation(z: number, so4: number): number {
  if (!(z > 0)) return Infinity;
  const oh = 1000 * 10 ** ((LOG_KSP_ZHS - 4 * Math.log10(z / 1000) - Math.log10(so4 / 1000)) / 6);
  return oh - 1e-8 / oh;
}

export class ByProduct {
  /** Precipitated by-product per cell (mol/m3 of the cell). */
  readonly m: Float64Array;
  /** Per electrode area since the start (mol/m2 of by-product). */
  formed = 0;

  private readonly cap: Float64Array;
  private readonly removed: Float64Array;

  constructor(n: number) {
    this.m = new Float64Array(n);
    this.cap = new Float64Array(n);
    this.removed = new Float64Array(n);
  }

  /**
   * The step's alkalinity diffusion with precipitation (alkalinity.ts diffuse, after its source): each liquid cell's
   * alkalinity is capped at the by-product's saturation at its Zn2+; what the cap holds back precipitates there,
   * 6 OH- and 4 Zn2+ a formula unit. A held cell that would take alkalinity back dissolves what by-product it has.
   */
  step(s: CpuSolver): void {
    const ph = s.ph!, c = s.c, { c0 } = s.co, m = this.m, xi = s.xi, w = ph.w;
    const n = m.length;
    const cap = this.cap, removed = this.removed;
    for (let P = 0; P < n; P++) cap[P] = xi[P]! >= 0.5 ? Infinity : saturation(c[P]! * c0, c0);
    ph.diffuse(s, cap, removed);
    let formed = 0;
    for (let P = 0; P < n; P++) {
      const r = removed[P]!;
      if (r === 0) continue;
      const d = Math.max(-m[P]!, r / 6);
      w[P] = w[P]! + (r - 6 * d);
      c[P] = c[P]! - (4 * d) / c0;
      m[P] = m[P]! + d;
      formed += d;
    }
    this.formed += (formed * s.co.dx * s.co.dx) / (s.nx * s.co.dx);
  }

  /**
   * The share of cell P's reaction the film leaves open: its solid fraction and that of the cell above (the film sits
   * on the metal), over the fraction that covers fully (1 - porosity), taken off 1.
   */
  open(P: number, nx: number, ny: number): number {
    const up = P + nx < nx * ny ? this.m[P + nx]! : 0;
    return 1 - filmCover(this.m[P]! + up) * (1 - ZHS_OPEN_FLOOR);
  }

  /** Film thickness (um), mean over the columns: the solid's volume per electrode area, as a dense layer / (1 - porosity). */
  thicknessUm(s: CpuSolver): number {
    let sum = 0;
    for (let P = 0; P < this.m.length; P++) sum += this.m[P]!;
    return ((sum * s.co.dx * s.co.dx) / (s.nx * s.co.dx)) * ZHS_MOLAR_VOLUME / (1 - ZHS_POROSITY) * 1e6;
  }
}

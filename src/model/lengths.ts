/**
 * Every length of the model, in micrometres (docs/MODEL.md, "Lengths"). The cell size dx is a resolution, not
 * part of the model: each of these becomes a count of cells only in coefficients() and placeNuclei(), so a finer grid
 * solves the same model. Each value's reasoning is in docs/MODEL.md.
 */
export const LENGTHS_UM = {
  /** Interface half-width l of the phase field (a numerical length, resolved by at least MIN_ELL_CELLS cells). */
  ell: 0.6,
  /** Height above the substrate in which the nucleation overpotential applies (the pristine surface). */
  nucleationZone: 2,
  /** Zn substrate laid down at t = 0. */
  substrate: 3,
  /** Smallest and largest radius of a nucleus (half-discs on the substrate). */
  nucleusRadiusMin: 1.5,
  nucleusRadiusMax: 3,
  /** Mean nucleus spacing on bare Zn (estimate: SEM of early Zn deposits shows nuclei ~10-20 um apart); it scales as (eta_nuc / 45 mV)^2. */
  nucleusSpacingBare: 16,
  /** Nuclei are never closer than this on average (the lattice pitch's floor). */
  nucleusMinSpacing: 3,
  /** Half-width of the window a protrusion's height is measured against (the tip closure). */
  tipWindow: 6,
  /** Where the tip closure reads the field ahead of a column's top: from this height above it (outside the diffuse
   * interface, 2.5 l)... */
  tipProbeNear: 1.5,
  /** ...to this one (the gradient between the two drives the tip term). */
  tipProbeFar: 3,
  /** Width of the strips over which nucleation uniformity compares the deposition current (a metric's length). */
  uniformityBin: 1,
  /** Lateral size of a protrusion over which the coating is strained (the membrane). */
  strainLength: 10,
  /** Width over which the coating feels the deposit beneath it: a column's strain comes from the deposit's height
   * averaged over this window, not from its own cell's. */
  strainWindow: 2,
  /** Width of the gap a crack opens in the coating, centred on the column that cracked. */
  crackOpening: 0.5,
} as const;

/**
 * The share of the column at offset d (in columns) that lies in a window `half` columns to either side of column
 * 0's centre: a window of physical width 2 half dx covers whole columns in its middle and parts at its ends, so
 * its total, 2 half, is the same length whatever dx.
 */
export function windowShare(d: number, half: number): number {
  return Math.max(0, Math.min(1, Math.min(half, d + 0.5) - Math.max(-half, d - 0.5)));
}

/** The farthest column offset with a share of a window of half-width `half` columns. */
export const windowReach = (half: number): number => Math.max(0, Math.ceil(half - 0.5 - 1e-9));

/**
 * The interface must span at least this many cells: l / dx >= MIN_ELL_CELLS, i.e. dx <= l / MIN_ELL_CELLS. Coarser
 * 2d cells do not resolve the diffuse interface (the property tests found NaN and plating at a positive electrode
 * potential from about 2 um cells with l = 0.6 um).
 */
export const MIN_ELL_CELLS = 0.6;

/** The coarsest 2d cell (um) that resolves the interface. */
export const MAX_2D_DX_UM = LENGTHS_UM.ell / MIN_ELL_CELLS;

/**
 * The shortest 2d cell (um): the substrate, the tallest nucleus and 2 um of electrolyte above it. A shorter cell has
 * its deposit across the electrolyte from the start (runStop.ts); the schema refuses it.
 */
export const MIN_2D_HEIGHT_UM = LENGTHS_UM.substrate + LENGTHS_UM.nucleusRadiusMax + 2;

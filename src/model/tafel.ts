/**
 * The polarization curve of a sweep step and its Tafel analysis (docs/MODEL.md, "Linear sweep and Tafel"). Pure:
 * a run (any backend) appends a point a time step; the fit reads them.
 */

/** One time step of a sweep: E_m (V vs Zn) and the currents it passed (A/m2, + cathodic): total, zinc, HER. */
export interface PolarizationPoint {
  t_s: number;
  E_V: number;
  i_A_m2: number;
  iZn_A_m2: number;
  iH_A_m2: number;
}

export const POLARIZATION_FIELDS = ["t_s", "E_mV", "i_mA_cm2", "i_zn_mA_cm2", "i_her_mA_cm2", "log10_abs_i_mA_cm2"] as const;

/** The curve as CSV (mV and mA/cm2; + cathodic, as the series' currents). */
export function polarizationToCsv(points: readonly PolarizationPoint[]): string {
  const rows = points.map((p) => [p.t_s, p.E_V * 1e3, p.i_A_m2 * 0.1, p.iZn_A_m2 * 0.1, p.iH_A_m2 * 0.1, Math.log10(Math.abs(p.i_A_m2 * 0.1))].join(","));
  return [POLARIZATION_FIELDS.join(","), ...rows].join("\n") + "\n";
}

/** The window of |E - E_corr| (V) in which each branch of log|i| is fitted as a line: the classic Tafel region. */
export const TAFEL_WINDOW_V = { min: 0.05, max: 0.15 } as const;
/** The window about E_corr (V) over which the HER's own Tafel line is fitted. */
export const HER_WINDOW_V = 0.05;

export interface TafelFit {
  /**
   * Where the total current crosses zero (V vs Zn), interpolated between the two points about the crossing; the last
   * crossing of the sweep (a sweep that starts with a jump from rest can swing through zero in its first steps).
   */
  E_corr_V: number;
  /**
   * The corrosion current (A/m2): the HER current at E_corr, from the HER's Tafel line fitted within
   * HER_WINDOW_V of E_corr. At E_corr the zinc dissolved is what HER takes, so this is the rate zinc is lost.
   */
  i_corr_A_m2: number;
  /** The HER's Tafel slope (mV/decade, magnitude). */
  her_slope_mV_dec: number;
  /**
   * The coating papers' extrapolation: the anodic and cathodic lines of log|i_total| (TAFEL_WINDOW_V from E_corr)
   * at E_corr, their geometric mean (A/m2), and their slopes (mV/decade). On zinc in a Zn2+ electrolyte these lines
   * are the Zn2+/Zn couple's own, so this is about its exchange current, not the zinc lost (docs/MODEL.md).
   */
  i_tafel_A_m2: number;
  anodic_slope_mV_dec: number;
  cathodic_slope_mV_dec: number;
  /** Points in each fit: HER, anodic, cathodic. */
  points: [number, number, number];
}

/** Least-squares line y = a + b x. */
function line(x: readonly number[], y: readonly number[]): { a: number; b: number } {
  const n = x.length;
  const mx = x.reduce((s, v) => s + v, 0) / n, my = y.reduce((s, v) => s + v, 0) / n;
  let sxy = 0, sxx = 0;
  for (let k = 0; k < n; k++) { sxy += (x[k]! - mx) * (y[k]! - my); sxx += (x[k]! - mx) ** 2; }
  const b = sxy / sxx;
  return { a: my - b * mx, b };
}

/** Fits a swept polarization curve; throws where it does not cross zero or a window holds fewer than 3 points. */
export function fitTafel(points: readonly PolarizationPoint[]): TafelFit {
  let E_corr = NaN;
  for (let k = points.length - 1; k > 0; k--) {
    const p = points[k - 1]!, q = points[k]!;
    if (q.i_A_m2 === 0) { E_corr = q.E_V; break; }
    if (Math.sign(p.i_A_m2) !== Math.sign(q.i_A_m2)) {
      E_corr = p.E_V + ((q.E_V - p.E_V) * p.i_A_m2) / (p.i_A_m2 - q.i_A_m2);
      break;
    }
  }
  if (!Number.isFinite(E_corr)) throw new Error("the polarization curve does not cross zero current: no corrosion potential in the swept range");
  const fitLog = (sel: (p: PolarizationPoint) => boolean, cur: (p: PolarizationPoint) => number, what: string) => {
    const pts = points.filter((p) => sel(p) && cur(p) > 0);
    if (pts.length < 3) throw new Error(`the ${what} fit has ${pts.length} points; sweep further past E_corr (${(E_corr * 1e3).toFixed(1)} mV), or more slowly`);
    return { ...line(pts.map((p) => p.E_V), pts.map((p) => Math.log10(cur(p)))), n: pts.length };
  };
  const d = (p: PolarizationPoint) => p.E_V - E_corr;
  const her = fitLog((p) => Math.abs(d(p)) <= HER_WINDOW_V, (p) => p.iH_A_m2, "HER");
  const inWindow = (x: number) => x >= TAFEL_WINDOW_V.min && x <= TAFEL_WINDOW_V.max;
  const an = fitLog((p) => inWindow(d(p)), (p) => -p.i_A_m2, "anodic Tafel");
  const cat = fitLog((p) => inWindow(-d(p)), (p) => p.i_A_m2, "cathodic Tafel");
  const at = (f: { a: number; b: number }) => 10 ** (f.a + f.b * E_corr);
  return {
    E_corr_V: E_corr,
    i_corr_A_m2: at(her),
    her_slope_mV_dec: Math.abs(1e3 / her.b),
    i_tafel_A_m2: Math.sqrt(at(an) * at(cat)),
    anodic_slope_mV_dec: Math.abs(1e3 / an.b),
    cathodic_slope_mV_dec: Math.abs(1e3 / cat.b),
    points: [her.n, an.n, cat.n],
  };
}

/** The series a run produces: one row per sample time. Units are in the field names. */
export const SERIES_FIELDS = [
  "t_s", "voltage_V", "uniformity", "roughness_um", "max_height_um", "her_mA_cm2", "h2_mmol_cm2", "ce",
  "min_surface_c_M", "cracked_fraction",
] as const;
export type SeriesField = (typeof SERIES_FIELDS)[number];
export type SeriesRow = Record<SeriesField, number>;
/** What a run with the pH field adds to each row (docs/MODEL.md "pH"): the interfacial pH. */
export const PH_FIELDS = ["surface_pH"] as const;
/** And with the by-product: its film's mean thickness (um, porous). */
export const BYPRODUCT_FIELDS = ["byproduct_um"] as const;
export type PhField = (typeof PH_FIELDS)[number] | (typeof BYPRODUCT_FIELDS)[number];
export const PH_META: Record<PhField, { label: string; unit: string; meaning: string }> = {
  surface_pH: { label: "Interfacial pH", unit: "1", meaning: "The highest pH in the liquid-side interface cells (HER's OH- raises it)." },
  byproduct_um: { label: "By-product film", unit: "um", meaning: "Mean thickness of the porous Zn4(OH)6SO4 film on the metal." },
};

/** What a protocol run's rows add (protocolRun.ts): where in the protocol the sample is, and the charge and dead zinc. */
export const PROTOCOL_FIELDS = ["cycle", "step", "current_mA_cm2", "charge_mAh_cm2", "dead_zn_mAh_cm2"] as const;
export type ProtocolField = (typeof PROTOCOL_FIELDS)[number];
export type ProtocolRow = SeriesRow & Record<ProtocolField, number> & Partial<Record<CorrosionField, number>>;

export const PROTOCOL_META: Record<ProtocolField, { label: string; unit: string; meaning: string }> = {
  cycle: { label: "Cycle", unit: "1", meaning: "The protocol's cycle at this sample (from 1)." },
  step: { label: "Step", unit: "1", meaning: "The step of the cycle at this sample (from 1, in the protocol's order)." },
  current_mA_cm2: { label: "Applied current", unit: "mA/cm2", meaning: "Applied current of the last time step: + plating, - stripping, 0 at rest." },
  charge_mAh_cm2: { label: "Charge passed", unit: "mAh/cm2", meaning: "Applied charge since the start: + plating, - stripping." },
  dead_zn_mAh_cm2: { label: "Dead zinc", unit: "mAh/cm2", meaning: "Metal cut off from the substrate: it takes no electrons." },
};

/**
 * What a protocol run with a rest or sweep step adds to each row (cycleLog.ts protocolRow; docs/MODEL.md
 * "Open circuit and corrosion"). At rest the galvanostat holds the total current at zero, so the zinc dissolved
 * equals the HER's charge: the corrosion current. A run without such a step has none of these columns.
 */
export const CORROSION_FIELDS = ["corrosion_uA_cm2", "zn_lost_mAh_cm2", "zn_lost_um"] as const;
export type CorrosionField = (typeof CORROSION_FIELDS)[number];

export const CORROSION_META: Record<CorrosionField, { label: string; unit: string; meaning: string }> = {
  corrosion_uA_cm2: { label: "Corrosion current", unit: "uA/cm2", meaning: "At rest: the zinc dissolution current of the last time step (= its HER current; E_m is then the mixed potential, voltage_V). 0 outside rest steps." },
  zn_lost_mAh_cm2: { label: "Zinc lost at rest", unit: "mAh/cm2", meaning: "Zinc dissolved by corrosion at open circuit since the start (the HER charge of the rest steps)." },
  zn_lost_um: { label: "Zinc lost at rest", unit: "um", meaning: "The same as a thickness of zinc metal (7.14 g/cm3)." },
};

/** What a protocol run's sweep point adds at its end (cycleLog.ts cycleFigures): figures over its cycle table. */
export const CYCLE_FIGURES = ["cycles_done", "mean_ce", "mean_ce_zn", "short_cycle"] as const;
export type CycleFigure = (typeof CYCLE_FIGURES)[number];

export const CYCLE_FIGURE_META: Record<CycleFigure, { label: string; unit: string; meaning: string }> = {
  cycles_done: { label: "Cycles done", unit: "1", meaning: "Cycles the run completed (the one that shorted included)." },
  mean_ce: { label: "Mean CE", unit: "1", meaning: "Mean over the cycles of stripped / plated charge (a cycler's Coulombic efficiency)." },
  mean_ce_zn: { label: "Mean zinc kept", unit: "1", meaning: "Mean over the cycles of 1 - (H2 charge + dead zinc formed) / plated." },
  short_cycle: { label: "Cycle of the short", unit: "1", meaning: "The cycle in which the deposit reached the top of the cell; 0 where none did." },
};

/** What a sweep may record of each point: a series field, and with a protocol its fields and the cycle figures. */
export type SweepMetric = SeriesField | ProtocolField | CycleFigure | CorrosionField | PhField;

/**
 * The time of step `step` of `dt` seconds, to 12 significant digits: 3 steps of 0.1 s are 0.3 s, not the
 * 0.30000000000000004 of the product (a CSV and a chart read it). Every backend's sample time comes from here.
 */
export function sampleTime(step: number, dt: number): number {
  return Number((step * dt).toPrecision(12));
}

/** A row read back from storage or a file: every field a finite number (only those fields kept), else throws naming `what`. */
export function seriesRowOf(raw: unknown, what: string): SeriesRow {
  const r = (raw ?? {}) as Record<string, unknown>;
  for (const f of SERIES_FIELDS) {
    if (typeof r[f] !== "number" || !Number.isFinite(r[f])) throw new Error(`${what}'s ${f} must be a finite number`);
  }
  // A run with the pH field carries its columns too (PH_FIELDS, BYPRODUCT_FIELDS), where the row has them.
  const extra = [...PH_FIELDS, ...BYPRODUCT_FIELDS].filter((f) => r[f] !== undefined);
  for (const f of extra) if (typeof r[f] !== "number" || !Number.isFinite(r[f])) throw new Error(`${what}'s ${f} must be a finite number`);
  return Object.fromEntries([...SERIES_FIELDS, ...extra].map((f) => [f, r[f] as number])) as SeriesRow;
}

export const SERIES_META: Record<SeriesField, { label: string; unit: string; meaning: string }> = {
  t_s: { label: "Time", unit: "s", meaning: "Simulated plating time." },
  voltage_V: { label: "Electrode potential", unit: "V", meaning: "Potential of the Zn electrode against a Zn reference in the reservoir (negative while plating)." },
  uniformity: { label: "Nucleation uniformity", unit: "1", meaning: "1 - coefficient of variation of the Zn deposition current along the electrode (1 = perfectly even)." },
  roughness_um: { label: "Roughness", unit: "um", meaning: "RMS deviation of the deposit height from its mean along the electrode." },
  max_height_um: { label: "Max height", unit: "um", meaning: "Highest point of the deposit above the original Zn surface." },
  her_mA_cm2: { label: "HER current", unit: "mA/cm2", meaning: "Hydrogen-evolution current density at this moment." },
  h2_mmol_cm2: { label: "Cumulative H2", unit: "mmol/cm2", meaning: "Hydrogen evolved since the start, per electrode area." },
  ce: { label: "Coulombic efficiency", unit: "1", meaning: "Zn deposition charge over total charge since the start (a protocol run: the cycle so far, the share of its plated charge still usable zinc)." },
  min_surface_c_M: { label: "Min surface Zn2+", unit: "M", meaning: "Lowest Zn2+ concentration at the metal surface." },
  cracked_fraction: { label: "Cracked fraction", unit: "1", meaning: "Share of the coating that is cracked (0 = intact)." },
};

/** Every metric a sweep may record, with its label, unit and meaning. */
export const METRIC_META: Record<SweepMetric, { label: string; unit: string; meaning: string }> = {
  ...SERIES_META, ...PROTOCOL_META, ...CYCLE_FIGURE_META, ...CORROSION_META, ...PH_META,
};

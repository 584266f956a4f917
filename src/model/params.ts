/**
 * The parameter schema: every quantity a user can set, with its SI unit, the unit it is shown in,
 * its range, its default and a one-line meaning. Pure data; no DOM, no GPU.
 *
 * Values are stored in the *display* unit named here (the unit the review and the UI use, e.g. mS/cm);
 * `toSI` converts to SI for the solvers.
 */

export type Principle = "I" | "II" | "III" | "operation" | "electrolyte" | "grid";

export interface ParamSpec {
  /** Key in the scenario / coating object. */
  key: string;
  label: string;
  /** Unit the value is given and shown in. */
  unit: string;
  /** SI unit of the solver's value. */
  siUnit: string;
  /** Multiply a display value by this to get SI. */
  toSI: number;
  min: number;
  max: number;
  default: number;
  /** Whole numbers only. */
  integer?: boolean;
  /** Slider on a log scale (spans decades). */
  log?: boolean;
  principle: Principle;
  meaning: string;
}

const spec = (s: ParamSpec): ParamSpec => s;

/** Properties of the artificial interface layer; a preset sets all of them. */
export const COATING_PARAMS = [
  spec({ key: "thickness_nm", label: "Coating thickness", unit: "nm", siUnit: "m", toSI: 1e-9, min: 0, max: 50_000, default: 0, principle: "I",
    meaning: "Thickness h of the interface layer; 0 is bare Zn. Layers thinner than a grid cell are resolved as a series resistance." }),
  spec({ key: "sigma_mS_cm", label: "Ionic conductivity", unit: "mS/cm", siUnit: "S/m", toSI: 0.1, min: 1e-4, max: 1000, default: 50, log: true, principle: "I",
    meaning: "Zn2+ conductivity of the layer; the review's target is > 0.1 mS/cm, ideally 1-10 mS/cm." }),
  spec({ key: "t_plus", label: "Zn2+ transference number", unit: "1", siUnit: "1", toSI: 1, min: 0.1, max: 1, default: 0.4, principle: "I",
    meaning: "Share of the ionic current the layer carries by Zn2+; 1 is a single-ion conductor (anions blocked)." }),
  spec({ key: "channel_anisotropy", label: "Channel anisotropy D_x/D_y", unit: "1", siUnit: "1", toSI: 1, min: 0.01, max: 1, default: 1, log: true, principle: "I",
    meaning: "Lateral over normal Zn2+ diffusivity in the layer; < 1 for oriented channels (MOF, zeolite)." }),
  spec({ key: "eta_nuc_mV", label: "Nucleation overpotential", unit: "mV", siUnit: "V", toSI: 1e-3, min: 1, max: 200, default: 45, principle: "I",
    meaning: "Extra overpotential to nucleate Zn on the substrate; zincophilic layers lower it (more, evenly spaced nuclei)." }),
  spec({ key: "anisotropy_6fold", label: "Hexagonal anisotropy", unit: "1", siUnit: "1", toSI: 1, min: 0, max: 0.3, default: 0.2, principle: "I",
    meaning: "Strength delta of the 6-fold interface-energy anisotropy; layers that favour (002) growth lower it." }),
  spec({ key: "dG_H_eV", label: "H adsorption free energy |dG_H*|", unit: "eV", siUnit: "eV", toSI: 1, min: 0, max: 3.5, default: 1.0, principle: "II",
    meaning: "Hydrogen adsorption free energy at the surface; further from 0 means slower HER (volcano relation)." }),
  spec({ key: "water_activity", label: "Water activity at the metal", unit: "1", siUnit: "1", toSI: 1, min: 0.01, max: 1, default: 1, log: true, principle: "II",
    meaning: "Activity of water reaching the Zn under the intact layer; hydrophobic or desolvating layers lower it." }),
  spec({ key: "dEcorr_mV", label: "Corrosion-potential shift", unit: "mV", siUnit: "V", toSI: 1e-3, min: -200, max: 200, default: 0, principle: "II",
    meaning: "Shift of the corrosion potential the layer causes; by mixed-potential theory either sign means a smaller corrosion current." }),
  spec({ key: "E_GPa", label: "Young's modulus", unit: "GPa", siUnit: "Pa", toSI: 1e9, min: 0.001, max: 300, default: 1, log: true, principle: "III",
    meaning: "Stiffness of the layer; above ~6.7 GPa dendrites are inhibited, above ~66.7 GPa the interface stays smooth." }),
  spec({ key: "Gc_J_m2", label: "Fracture energy", unit: "J/m2", siUnit: "J/m2", toSI: 1, min: 0.01, max: 100_000, default: 1000, log: true, principle: "III",
    meaning: "Energy per area to crack the layer; brittle ceramics ~1-10 J/m2, tough polymers 100-10000 J/m2." }),
  spec({ key: "tau_s", label: "Viscoelastic relaxation time", unit: "s", siUnit: "s", toSI: 1, min: 0.1, max: 1e7, default: 1e7, log: true, principle: "III",
    meaning: "Time constant with which stress in the layer relaxes; 1e7 s is effectively elastic." }),
  spec({ key: "k_heal_1_s", label: "Self-healing rate", unit: "1/s", siUnit: "1/s", toSI: 1, min: 0, max: 1, default: 0, principle: "III",
    meaning: "Rate at which a cracked layer restores its integrity; 0 for layers that do not heal." }),
  spec({ key: "electronic", label: "Electronically conductive", unit: "0/1", siUnit: "1", toSI: 1, min: 0, max: 1, default: 0, integer: true, principle: "I",
    meaning: "1 for conductive hosts (carbon, MXene): Zn can deposit on top of the layer, spreading the current." }),
  spec({ key: "ferro_gain", label: "Ferroelectric lateral gain", unit: "1", siUnit: "1", toSI: 1, min: 0, max: 20, default: 0, principle: "I",
    meaning: "Factor by which a ferroelectric layer (BTO, PVDF-TrFE) raises lateral conduction, evening out the field." }),
] as const satisfies readonly ParamSpec[];

export type CoatingKey = (typeof COATING_PARAMS)[number]["key"];
export type CoatingValues = Record<CoatingKey, number>;

export const ELECTROLYTE_PARAMS = [
  spec({ key: "c0_M", label: "Zn2+ concentration", unit: "M", siUnit: "mol/m3", toSI: 1000, min: 0.05, max: 4, default: 2, principle: "electrolyte",
    meaning: "Bulk ZnSO4 concentration at the reservoir (default 2 M, the review's usual electrolyte)." }),
  spec({ key: "D_m2_s", label: "Salt diffusivity", unit: "m2/s", siUnit: "m2/s", toSI: 1, min: 1e-11, max: 5e-9, default: 6e-10, log: true, principle: "electrolyte",
    meaning: "Ambipolar diffusivity of ZnSO4 (estimate: Zn2+ tracer value 7.0e-10 m2/s at infinite dilution, lowered at 2 M)." }),
  spec({ key: "t_plus", label: "Bulk transference number", unit: "1", siUnit: "1", toSI: 1, min: 0.1, max: 0.9, default: 0.4, principle: "electrolyte",
    meaning: "Zn2+ transference number of the liquid (estimate ~0.4 for aqueous ZnSO4, as MODEL.md states)." }),
  spec({ key: "sigma_mS_cm", label: "Electrolyte conductivity", unit: "mS/cm", siUnit: "S/m", toSI: 0.1, min: 1, max: 200, default: 50, log: true, principle: "electrolyte",
    meaning: "Ionic conductivity of the liquid (estimate: 2 M ZnSO4 is reported near 45-60 mS/cm at 25 C)." }),
] as const satisfies readonly ParamSpec[];

export type ElectrolyteKey = (typeof ELECTROLYTE_PARAMS)[number]["key"];
export type ElectrolyteValues = Record<ElectrolyteKey, number>;

export const OPERATION_PARAMS = [
  spec({ key: "current_mA_cm2", label: "Current density", unit: "mA/cm2", siUnit: "A/m2", toSI: 10, min: 0.1, max: 100, default: 10, log: true, principle: "operation",
    meaning: "Galvanostatic plating current density; the cell voltage is an output." }),
  spec({ key: "duration_s", label: "Duration", unit: "s", siUnit: "s", toSI: 1, min: 1, max: 1e6, default: 1200, log: true, principle: "operation",
    meaning: "Simulated plating time." }),
  spec({ key: "seed", label: "Random seed", unit: "1", siUnit: "1", toSI: 1, min: 0, max: 2 ** 31 - 1, default: 1, integer: true, principle: "grid",
    meaning: "Seed of the nucleation generator; the same seed gives the same run." }),
  spec({ key: "samples", label: "Series rows", unit: "1", siUnit: "1", toSI: 1, min: 1, max: 100_000, default: 200, integer: true, principle: "grid",
    meaning: "How many rows the output series has (evenly spaced in time)." }),
] as const satisfies readonly ParamSpec[];

export const GRID_PARAMS = [
  spec({ key: "nx", label: "Cells along the electrode", unit: "1", siUnit: "1", toSI: 1, min: 1, max: 2048, default: 128, integer: true, principle: "grid",
    meaning: "Grid cells along x (periodic); a power of two for the multigrid." }),
  spec({ key: "ny", label: "Cells normal to the electrode", unit: "1", siUnit: "1", toSI: 1, min: 8, max: 2048, default: 128, integer: true, principle: "grid",
    meaning: "Grid cells along y, from the Zn surface to the reservoir; a power of two." }),
  spec({ key: "dx_um", label: "Cell size", unit: "um", siUnit: "m", toSI: 1e-6, min: 0.05, max: 50, default: 0.5, log: true, principle: "grid",
    meaning: "Edge of a square grid cell: a resolution, not a model parameter (every length of the model is in µm); 0.5 µm is the converged default (docs/MODEL.md)." }),
] as const satisfies readonly ParamSpec[];

export const ALL_PARAMS: readonly ParamSpec[] = [...COATING_PARAMS, ...ELECTROLYTE_PARAMS, ...OPERATION_PARAMS, ...GRID_PARAMS];

export function coatingSpec(key: CoatingKey): ParamSpec {
  return COATING_PARAMS.find((p) => p.key === key)!;
}

/** The review's design targets, shown as a target card next to a preset's numbers. */
export const DESIGN_TARGETS = [
  { key: "sigma_mS_cm", text: "Ionic conductivity > 0.1 mS/cm, ideally 1-10 mS/cm", ok: (v: CoatingValues) => v.thickness_nm === 0 || v.sigma_mS_cm > 0.1 },
  { key: "t_plus", text: "Zn2+ transference number near 1 (here: at least 0.6)", ok: (v: CoatingValues) => v.thickness_nm > 0 && v.t_plus >= 0.6 },
  { key: "E_GPa", text: "Very high modulus (> 6.7 GPa) or adaptive (viscoelastic / self-healing)", ok: (v: CoatingValues) => v.thickness_nm > 0 && (v.E_GPa > 6.7 || v.tau_s < 1e4 || v.k_heal_1_s > 0) },
  { key: "dG_H_eV", text: "Side reactions mitigated (|dG_H*| above bare Zn's 1.00 eV, less water, or a corrosion shift)", ok: (v: CoatingValues) => v.thickness_nm > 0 && (v.dG_H_eV > 1.05 || v.water_activity < 0.9 || v.dEcorr_mV !== 0) },
] as const;

import type { CoatingKey } from "./params.ts";

/** A number the review reports, with its citation. */
export interface CitedValue { value: number; cite: string }
/** A number the review does not give: a documented, physically plausible estimate with its reasoning. */
export interface EstimatedValue { value: number; estimate: string }
export type PresetValue = CitedValue | EstimatedValue;

export const PRESET_IDS = [
  "bare", "znf2", "mmt", "cuhcf", "zns", "dlc-zns", "zn3po42", "tio2", "al2o3", "pvb", "speek", "nafion",
  "uio66-speek", "zps", "aec", "cof", "ptfe", "il-gel", "pdms-tio2", "self-healing", "bto", "pvdf-trfe",
  "zif8", "zeolite", "carbon", "mxene",
] as const;
export type PresetId = (typeof PRESET_IDS)[number];

export interface Preset {
  id: PresetId;
  /** Display name, e.g. "ZnF2". */
  name: string;
  /** Kind of layer, e.g. "inorganic, ion-conductive". */
  kind: string;
  /** Which of the review's principles this layer mainly serves. */
  principles: ("I" | "II" | "III")[];
  /** One or two sentences: what the layer does and why. */
  summary: string;
  values: Record<CoatingKey, PresetValue>;
}

export const isCited = (v: PresetValue): v is CitedValue => "cite" in v;

/**
 * The model's own factors behind a lesson's answer, read from the model (coefficients.ts), never restated here: how
 * much lower a coating's HER is than bare Zn's by its intact layer (herCoatFactor = volcano x water activity x
 * corrosion shift), split into the share of its water activity and the rest (its |ΔG_H*| on the volcano, and any
 * corrosion-potential shift). No physics of its own: it asks the model with the water activity swapped.
 */
import { coefficients } from "../model/coefficients.ts";
import { coatingValues, type Scenario } from "../model/scenario.ts";

export interface HerSplit {
  /** bare's herCoatFactor / the coating's: how many times lower the coating's HER exchange current is. */
  total: number;
  /** The part of `total` its water activity gives (the coating's factor with bare's water activity, over its own). */
  water: number;
  /** The rest: total / water (the larger |ΔG_H*| and the corrosion shift). */
  binding: number;
  /** The water activities and ΔG_H* (eV) of the coating and of bare Zn, as the model takes them. */
  aw: [number, number];
  dG_eV: [number, number];
}

export function herSplit(coated: Scenario, bare: Scenario): HerSplit {
  const factor = (s: Scenario) => coefficients(s).herCoatFactor;
  const c = coatingValues(coated), b = coatingValues(bare);
  const own = factor(coated);
  const total = factor(bare) / own;
  const wet: Scenario["coating"] = Object.assign({}, coated.coating, { water_activity: b.water_activity });
  const water = factor({ ...coated, coating: wet }) / own;
  return { total, water, binding: total / water, aw: [c.water_activity, b.water_activity], dG_eV: [c.dG_H_eV, b.dG_H_eV] };
}

/**
 * Whether a sweep's axis can change anything: a property of the layer itself swept on a scenario without a layer
 * (bare Zn, or any coating at 0 nm) gives identical rows. Which properties those are is the model's own word, not
 * the UI's: the bare preset marks each of them "inactive for bare Zn (no layer)" (src/model/presets.ts), and
 * tests/sweepEffect.test.ts runs the CPU reference at both ends of each one's range to hold that word to the model.
 */
import { COATING_PARAMS, type CoatingKey } from "../../../model/params.ts";
import { getPreset } from "../../../model/presets.ts";
import { coatingValues, type Scenario } from "../../../model/scenario.ts";
import { paramText } from "./sweepForm.ts";

/** The coating properties that act only through the layer: those the bare preset marks as inactive with no layer. */
export const LAYER_ONLY_KEYS: readonly CoatingKey[] = COATING_PARAMS.map((p) => p.key as CoatingKey).filter((k) => {
  const v = getPreset("bare")?.values[k];
  return !!v && "estimate" in v && v.estimate.includes("(no layer)");
});

/**
 * The warning for a sweep whose axes (`params`, as the sweep file names them: `coating.t_plus`) include a property of
 * the layer on a scenario with no layer, unless an axis also sweeps the thickness; null where every axis can act.
 */
export function noEffectWarning(params: readonly string[], scenario: Scenario): string | null {
  if (coatingValues(scenario).thickness_nm > 0 || params.includes("coating.thickness_nm")) return null;
  const idle = params.filter((p) => p.startsWith("coating.") && LAYER_ONLY_KEYS.includes(p.slice("coating.".length) as CoatingKey));
  if (idle.length === 0) return null;
  const names = idle.map((p) => paramText(p)).join(" and ");
  return `${names} ${idle.length > 1 ? "are properties" : "is a property"} of the coating layer, and this scenario has none ` +
    `(coating thickness 0 nm): every row will be the same. Choose a coated preset, or sweep the coating thickness too.`;
}

/**
 * The page's protocol picker without React: a scenario's protocol as one of the named presets and its few numbers
 * (model/protocol.ts protocolPreset), and back. Where a scenario's protocol is no preset's (a loaded file's own
 * steps), it is "custom" and kept as it is. The model's validation decides what is allowed (parseScenario).
 */
import { OPERATION_PARAMS } from "../model/params.ts";
import { isProtocolPreset, protocolPreset, type ProtocolPresetId, type ProtocolStep, type Substrate } from "../model/protocol.ts";
import { parseScenario, type Scenario } from "../model/scenario.ts";

export type ProtocolChoiceId = "none" | ProtocolPresetId | "custom";

/** The picker's state: which protocol and its numbers (mA/cm2, mAh/cm2, cycles; rest's length in s). */
export interface ProtocolChoice {
  id: ProtocolChoiceId;
  current_mA_cm2: number;
  capacity_mAh_cm2: number;
  cycles: number;
  duration_s: number;
}

/** What the picker opens a preset with: 1 mA/cm2 and 0.05 mAh/cm2 (3 min a half-cycle), 3 cycles; rest 10 min. */
export const CHOICE_DEFAULTS: Omit<ProtocolChoice, "id"> = { current_mA_cm2: 1, capacity_mAh_cm2: 0.05, cycles: 3, duration_s: 600 };

const DEFAULT_DURATION_S = OPERATION_PARAMS.find((p) => p.key === "duration_s")!.default;

/** The scenario's protocol as the picker shows it. */
export function protocolChoiceOf(s: Scenario): ProtocolChoice {
  const p = s.protocol;
  if (!p) return { id: "none", ...CHOICE_DEFAULTS };
  const [a] = p;
  if (p.length === 1 && a!.step === "rest" && a!.until.time_s !== undefined && (s.cycles ?? 1) === 1 && (s.substrate ?? "zn") === "zn") {
    return { id: "rest", ...CHOICE_DEFAULTS, duration_s: a!.until.time_s };
  }
  const i = a?.current_mA_cm2, q = a?.until.capacity_mAh_cm2;
  if (p.length === 2 && i !== undefined && q !== undefined) {
    const id: ProtocolPresetId = s.substrate === "cu" ? "zn-cu-ce" : "symmetric";
    const want = protocolPreset(id, { current_mA_cm2: i, capacity_mAh_cm2: q, cycles: s.cycles ?? 1, duration_s: 1 }).protocol;
    if (sameSteps(want, p)) return { id, current_mA_cm2: i, capacity_mAh_cm2: q, cycles: s.cycles ?? 1, duration_s: CHOICE_DEFAULTS.duration_s };
  }
  return { id: "custom", ...CHOICE_DEFAULTS, cycles: s.cycles ?? 1 };
}

const sameSteps = (a: readonly ProtocolStep[], b: readonly ProtocolStep[]) => JSON.stringify(a) === JSON.stringify(b);

/**
 * `s` running the choice (through the model's validation: throws ScenarioError with the schema's message). "none"
 * plates at the scenario's current for the default duration, as the app always did; "custom" keeps `s`.
 */
export function withProtocolChoice(s: Scenario, c: ProtocolChoice): Scenario {
  if (c.id === "custom") return s;
  const { protocol: _p, cycles: _c, substrate: _s, substrate_um: _u, ...rest } = s;
  if (c.id === "none") return parseScenario(s.protocol ? { ...rest, duration_s: DEFAULT_DURATION_S } : rest);
  return parseScenario({ ...rest, ...protocolPreset(c.id, c) });
}

/** The substrate a choice runs on (the presets fix it: Zn||Zn and rest on zinc, Zn||Cu on copper). */
export const choiceSubstrate = (id: ProtocolChoiceId, s: Scenario): Substrate =>
  id === "zn-cu-ce" ? "cu" : id === "custom" ? (s.substrate ?? "zn") : "zn";

export const isChoiceId = (v: string): v is ProtocolChoiceId => v === "none" || v === "custom" || isProtocolPreset(v);

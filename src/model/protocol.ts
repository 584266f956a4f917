/**
 * Electrochemical protocols: plating, stripping and rest steps, repeated over cycles (docs/MODEL.md, "Protocols").
 * A scenario without one is a single plating step of its current for its duration, run exactly as before. Pure
 * TypeScript: the schema, the named presets and the expansion to the steps a run takes.
 */
import { z } from "zod";

export type StepKind = "plate" | "strip" | "rest" | "sweep";
export const STEP_KINDS: readonly StepKind[] = ["plate", "strip", "rest", "sweep"];

/**
 * One step: a galvanostatic plate or strip at |current|, open circuit, or a linear sweep of the electrode potential
 * (potentiostatic: E_m imposed, the current the output); it ends at the first limit reached (a sweep at its end).
 */
export interface ProtocolStep {
  step: StepKind;
  /** Magnitude (mA/cm2); the step's kind gives the sign. Absent: the scenario's current_mA_cm2. Rest has none. */
  current_mA_cm2?: number;
  /** A sweep's is empty: it ends at to_V. */
  until: { time_s?: number; capacity_mAh_cm2?: number; voltage_V?: number };
  /** A sweep's start and end potentials (V vs Zn) and its rate (mV/s, magnitude). */
  from_V?: number;
  to_V?: number;
  rate_mV_s?: number;
}

/** What the electrode is before the first plating: zinc (a Zn||Zn cell) or copper (Zn||Cu: no zinc to strip). */
export type Substrate = "zn" | "cu";
export const SUBSTRATES: readonly Substrate[] = ["zn", "cu"];

/** The ranges a protocol's numbers must lie in (mA/cm2, s, mAh/cm2, V). */
export const PROTOCOL_LIMITS = {
  current_mA_cm2: { min: 0.1, max: 100 },
  time_s: { min: 1, max: 1e6 },
  capacity_mAh_cm2: { min: 1e-3, max: 100 },
  voltage_V: { min: -2, max: 2 },
  /** A sweep's potentials (V vs Zn): within them the kinetics' exponentials stay below their clip. */
  sweep_V: { min: -0.5, max: 0.5 },
  rate_mV_s: { min: 0.01, max: 100 },
  steps: { min: 1, max: 20 },
  cycles: { min: 1, max: 1000 },
  /** The whole protocol at its longest (every step to its time or capacity bound). */
  duration_s: { max: 1e6 },
} as const;

const shown = (v: unknown) => (typeof v === "number" ? String(v) : JSON.stringify(v));

function bounded(what: string, unit: string, { min, max }: { min: number; max: number }) {
  return z
    .number({ error: (iss) => `must be a number (${what}, ${unit}), got ${shown(iss.input)}` })
    .superRefine((v, ctx) => {
      if (!Number.isFinite(v)) ctx.addIssue({ code: "custom", message: `must be finite (${what}), got ${v}` });
      else if (v < min || v > max) ctx.addIssue({ code: "custom", message: `= ${v} is out of range: allowed ${min} to ${max} ${unit} (${what})` });
    });
}

const L = PROTOCOL_LIMITS;
const untilSchema = z
  .object({
    time_s: bounded("step time limit", "s", L.time_s).optional(),
    capacity_mAh_cm2: bounded("step capacity limit", "mAh/cm2", L.capacity_mAh_cm2).optional(),
    voltage_V: bounded("step voltage limit", "V", L.voltage_V).optional(),
  }, { error: () => "must be an object: { time_s?, capacity_mAh_cm2?, voltage_V? }" })
  .strict();

export const stepSchema = z
  .object({
    step: z.enum(["plate", "strip", "rest", "sweep"], { error: (iss) => `must be "plate", "strip", "rest" or "sweep", got ${shown(iss.input)}` }),
    current_mA_cm2: bounded("step current", "mA/cm2", L.current_mA_cm2).optional(),
    until: untilSchema.default({}),
    from_V: bounded("sweep start potential", "V vs Zn", L.sweep_V).optional(),
    to_V: bounded("sweep end potential", "V vs Zn", L.sweep_V).optional(),
    rate_mV_s: bounded("sweep rate", "mV/s", L.rate_mV_s).optional(),
  }, { error: () => "must be an object: { step, current_mA_cm2?, until } or { step: \"sweep\", from_V, to_V, rate_mV_s }" })
  .strict()
  .superRefine((st, ctx) => {
    const sweepFields = (["from_V", "to_V", "rate_mV_s"] as const).filter((k) => st[k] !== undefined);
    if (st.step === "sweep") {
      if (st.current_mA_cm2 !== undefined) ctx.addIssue({ code: "custom", path: ["current_mA_cm2"], message: `= ${st.current_mA_cm2}: a sweep step imposes the potential; the current is its output` });
      if (Object.values(st.until).some((v) => v !== undefined)) ctx.addIssue({ code: "custom", path: ["until"], message: "does not apply to a sweep step: it ends at to_V (its length is |to_V - from_V| / rate_mV_s)" });
      for (const k of ["from_V", "to_V", "rate_mV_s"] as const) if (st[k] === undefined) ctx.addIssue({ code: "custom", path: [k], message: "is required for a sweep step" });
      if (st.from_V !== undefined && st.from_V === st.to_V) ctx.addIssue({ code: "custom", path: ["to_V"], message: `= ${st.to_V} equals from_V: a sweep must cover a range of potential` });
      return;
    }
    for (const k of sweepFields) ctx.addIssue({ code: "custom", path: [k], message: `= ${st[k]}: only a sweep step takes ${k}` });
    const u = st.until;
    if (st.step === "rest") {
      if (st.current_mA_cm2 !== undefined) ctx.addIssue({ code: "custom", path: ["current_mA_cm2"], message: `= ${st.current_mA_cm2}: a rest step is at open circuit and takes no current` });
      if (u.capacity_mAh_cm2 !== undefined || u.voltage_V !== undefined) ctx.addIssue({ code: "custom", path: ["until"], message: "of a rest step takes time_s only (no charge passes at open circuit)" });
      if (u.time_s === undefined) ctx.addIssue({ code: "custom", path: ["until", "time_s"], message: "is required for a rest step" });
      return;
    }
    if (u.time_s === undefined && u.capacity_mAh_cm2 === undefined) {
      ctx.addIssue({ code: "custom", path: ["until"], message: `of a ${st.step} step needs time_s or capacity_mAh_cm2 (a voltage limit alone might never be reached)` });
    }
    // The electrode potential is negative while plating and positive while stripping: a limit on the other side
    // would end the step at once.
    if (u.voltage_V !== undefined && st.step === "plate" && u.voltage_V >= 0) ctx.addIssue({ code: "custom", path: ["until", "voltage_V"], message: `= ${u.voltage_V} must be below 0 V for a plate step (the electrode potential falls while plating; the step ends when it reaches the limit)` });
    if (u.voltage_V !== undefined && st.step === "strip" && u.voltage_V <= 0) ctx.addIssue({ code: "custom", path: ["until", "voltage_V"], message: `= ${u.voltage_V} must be above 0 V for a strip step (the electrode potential rises while stripping; the step ends when it reaches the limit)` });
  });

export const protocolSchema = z
  .array(stepSchema, { error: (iss) => `must be a list of steps, got ${shown(iss.input)}` })
  .min(L.steps.min, { error: "must have at least one step" })
  .max(L.steps.max, { error: `has more than ${L.steps.max} steps` });

export const cyclesSchema = bounded("cycles", "", L.cycles).refine(Number.isInteger, { error: "must be a whole number (cycles)" });
export const substrateSchema = z.enum(["zn", "cu"], { error: (iss) => `must be "zn" or "cu", got ${shown(iss.input)}` });

/** A step as a run takes it: the signed current (A/m2; + plating, - stripping, 0 at rest) and its limits in SI. */
export interface RunStep {
  kind: StepKind;
  /** Index of the step within its cycle (0-based) and the cycle (0-based). */
  index: number;
  cycle: number;
  current_A_m2: number;
  /** Time (s) and charge (C/m2, of the applied current) at which the step ends, Infinity where not limited. */
  time_s: number;
  charge_C_m2: number;
  /** The electrode potential (V) at which it ends (reached from above when plating, from below when stripping), or null. */
  voltage_V: number | null;
  /** Its longest possible length (s): the time limit or the capacity at its current, whichever comes first. */
  bound_s: number;
  /** A sweep's imposed potential: E(t) = from_V + rate_V_s t over the step's time_s (rate signed); null otherwise. */
  sweep: { from_V: number; rate_V_s: number } | null;
}

/** 1 mAh/cm2 in C/m2. */
export const MAH_CM2 = 36_000;

/** The steps of one cycle, with `current` (mA/cm2) for those that give none. */
export function cycleSteps(protocol: readonly ProtocolStep[], current: number): Omit<RunStep, "cycle">[] {
  return protocol.map((st, index) => {
    if (st.step === "sweep") {
      const from = st.from_V!, to = st.to_V!, rate = st.rate_mV_s! * 1e-3;
      const time = Math.abs(to - from) / rate;
      return {
        kind: st.step, index, current_A_m2: 0, time_s: time, charge_C_m2: Infinity, voltage_V: null, bound_s: time,
        sweep: { from_V: from, rate_V_s: Math.sign(to - from) * rate },
      };
    }
    const until = st.until;
    const i = st.step === "rest" ? 0 : (st.current_mA_cm2 ?? current) * 10;
    const time = until.time_s ?? Infinity;
    const charge = until.capacity_mAh_cm2 !== undefined ? until.capacity_mAh_cm2 * MAH_CM2 : Infinity;
    const bound = Math.min(time, i > 0 ? charge / i : Infinity);
    return {
      kind: st.step, index, current_A_m2: st.step === "strip" ? -i : i, time_s: time, charge_C_m2: charge,
      voltage_V: until.voltage_V ?? null, bound_s: bound, sweep: null,
    };
  });
}

/** The protocol's longest possible length (s): every step of every cycle to its time or capacity bound. */
export function protocolDuration(protocol: readonly ProtocolStep[], cycles: number, current: number): number {
  return cycles * cycleSteps(protocol, current).reduce((a, s) => a + s.bound_s, 0);
}

/** The largest step current of a protocol (mA/cm2): it sets the run's time step, as current_mA_cm2 does without one. */
export function protocolPeakCurrent(protocol: readonly ProtocolStep[], current: number): number {
  return Math.max(0, ...protocol.map((st) => (st.step === "rest" || st.step === "sweep" ? 0 : st.current_mA_cm2 ?? current)));
}

/** Whether a protocol is open circuit throughout (rest steps alone): such a run takes long steps (stepSchedule). */
export function restOnly(protocol: readonly ProtocolStep[] | undefined): boolean {
  return protocol !== undefined && protocol.length > 0 && protocol.every((st) => st.step === "rest");
}

/** The fastest sweep of a protocol (mV/s), 0 without one: a time step moves the potential by at most 1 mV (stepSchedule). */
export function protocolSweepRate(protocol: readonly ProtocolStep[] | undefined): number {
  return Math.max(0, ...(protocol ?? []).map((st) => (st.step === "sweep" ? st.rate_mV_s! : 0)));
}

export type ProtocolPresetId = "symmetric" | "zn-cu-ce" | "rest" | "tafel";
/** The named protocols; `inApp`: the app runs it too (a sweep, under potential control, runs in the runner only for now). */
export const PROTOCOL_PRESETS: readonly { id: ProtocolPresetId; label: string; meaning: string; inApp: boolean }[] = [
  { id: "symmetric", label: "Symmetric Zn||Zn", meaning: "Plate q at i, then strip q at i (or to +0.5 V), N cycles, on zinc.", inApp: true },
  { id: "zn-cu-ce", label: "Zn||Cu Coulombic efficiency", meaning: "Plate q at i on copper, then strip to +0.5 V (all the zinc that still comes back), N cycles.", inApp: true },
  { id: "rest", label: "Open circuit", meaning: "No current for the duration: corrosion at rest.", inApp: true },
  { id: "tafel", label: "Tafel sweep", meaning: "A planar (1d) electrode: rest 60 s, then sweep E from -150 to +150 mV vs Zn at 1 mV/s; fits E_corr and i_corr.", inApp: false },
];

/** The named protocols the app offers (its picker and its address). */
export const APP_PROTOCOL_PRESETS = PROTOCOL_PRESETS.filter((p) => p.inApp);

/** The tafel preset's sweep (V vs Zn, mV/s) and the rest before it (s): the 50-150 mV Tafel windows on both sides of E_corr. */
export const TAFEL_SWEEP = { from_V: -0.15, to_V: 0.15, rate_mV_s: 1, rest_s: 60 } as const;

/** The cut-off of a strip step in the presets (V vs Zn): well past the stripping plateau, below copper's dissolution. */
export const STRIP_CUTOFF_V = 0.5;

export interface ProtocolPresetOptions {
  current_mA_cm2: number;
  capacity_mAh_cm2: number;
  cycles: number;
  /** Rest's length (s). */
  duration_s: number;
}

/** A named protocol as the scenario fields it sets. */
export function protocolPreset(id: ProtocolPresetId, o: ProtocolPresetOptions): { protocol: ProtocolStep[]; cycles: number; substrate: Substrate; mode?: "1d" } {
  const i = o.current_mA_cm2, q = o.capacity_mAh_cm2;
  // Plate Q, then strip Q or to the cut-off: on zinc a symmetric cell; on copper no more can come back than was
  // plated, and the cut-off ends the strip once the zinc that still connects is gone.
  const plateStrip = (substrate: Substrate) => ({
    protocol: [
      { step: "plate" as const, current_mA_cm2: i, until: { capacity_mAh_cm2: q } },
      { step: "strip" as const, current_mA_cm2: i, until: { capacity_mAh_cm2: q, voltage_V: STRIP_CUTOFF_V } },
    ],
    cycles: o.cycles,
    substrate,
  });
  switch (id) {
    case "symmetric":
      return plateStrip("zn");
    case "zn-cu-ce":
      return plateStrip("cu");
    case "rest":
      return { protocol: [{ step: "rest", until: { time_s: o.duration_s } }], cycles: 1, substrate: "zn" };
    case "tafel": {
      // Planar: a sweep's anodic end would strip micrometres of zinc, and the polarization curve is a planar one.
      const { from_V, to_V, rate_mV_s, rest_s } = TAFEL_SWEEP;
      return { protocol: [{ step: "rest", until: { time_s: rest_s } }, { step: "sweep", from_V, to_V, rate_mV_s, until: {} }], cycles: 1, substrate: "zn", mode: "1d" };
    }
  }
}

export const isProtocolPreset = (v: string): v is ProtocolPresetId => PROTOCOL_PRESETS.some((p) => p.id === v);


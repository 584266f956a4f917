/**
 * The scenario: what one run simulates. Validated with zod; every error names the field, its value and its
 * allowed range. Pure TypeScript (no DOM, no GPU).
 */
import { z } from "zod";
import {
  COATING_PARAMS, ELECTROLYTE_PARAMS, GRID_PARAMS, OPERATION_PARAMS, type CoatingValues, type ElectrolyteValues,
  type ParamSpec,
} from "./params.ts";
import { PRESET_IDS, type PresetId } from "./presetTypes.ts";
import { getPreset, presetValues } from "./presets.ts";
import { LENGTHS_UM, MAX_2D_DX_UM, MIN_2D_HEIGHT_UM, MIN_ELL_CELLS } from "./lengths.ts";
import { FARADAY, I_H0_BARE_A_M2, N_ZN, PH_2M_ZNSO4, ZN_MOLAR_VOLUME } from "./constants.ts";
import {
  cycleSteps, cyclesSchema, PROTOCOL_LIMITS, protocolDuration, protocolPeakCurrent, protocolSchema, substrateSchema, type ProtocolStep,
  type Substrate,
} from "./protocol.ts";

export interface Scenario {
  mode: "2d" | "1d";
  grid: { nx: number; ny: number; dx_um: number };
  current_mA_cm2: number;
  duration_s: number;
  seed: number;
  samples: number;
  /** pH: the pH field's start and reservoir value (with ph_field only; PH_2M_ZNSO4 where not given). */
  electrolyte: ElectrolyteValues & { pH?: number };
  coating: { preset: PresetId } & Partial<CoatingValues>;
  /** Tracks the pH (docs/MODEL.md "pH"): the series gains surface_pH. CPU only for now. */
  ph_field?: boolean;
  /** With ph_field: Zn4(OH)6SO4 precipitates as a film (docs/MODEL.md "By-product"); the series gains byproduct_um. */
  byproduct?: boolean;
  /**
   * Plate / strip / rest steps (protocol.ts), each with its current; without one the run is a single plating step of
   * current_mA_cm2 for duration_s. With one, current_mA_cm2 is its largest step current (it sets the time step) and
   * duration_s its longest possible length (every step to its time or capacity bound): parseScenario sets both.
   */
  protocol?: ProtocolStep[];
  /** How often the protocol repeats (with a protocol only). */
  cycles?: number;
  /** The electrode under the first plating: "zn" (the default) or "cu" (Zn||Cu cells). */
  substrate?: Substrate;
  /**
   * Thickness of the substrate in the cell (um; LENGTHS_UM.substrate where not given). A zinc electrode that a
   * protocol strips gets one that outlasts its run (protocolFoilUm) unless the scenario gives its own.
   */
  substrate_um?: number;
}

/** The substrate's thickness in the cell (um). */
export const substrateUm = (s: Pick<Scenario, "substrate_um">): number => s.substrate_um ?? LENGTHS_UM.substrate;

/** The range of substrate_um (um): from the model's own 3 um to 40 um. */
export const SUBSTRATE_UM_RANGE = { min: LENGTHS_UM.substrate, max: 40 } as const;

/** A value as a message shows it: numbers as JavaScript writes them (1e400 is Infinity, which JSON would write null). */
const shown = (v: unknown) => (typeof v === "number" ? String(v) : JSON.stringify(v));

/** A number checked against its spec, with a message that names the value and the range. */
function numberOf(p: ParamSpec) {
  const range = `${p.min} to ${p.max} ${p.unit === "1" ? "" : p.unit}`.trim();
  return z
    .number({ error: (iss) => (iss.input === undefined ? "is required" : `must be a number (${p.label}), got ${shown(iss.input)}`) })
    .superRefine((v, ctx) => {
      if (!Number.isFinite(v)) ctx.addIssue({ code: "custom", message: `must be finite (${p.label}), got ${v}` });
      else if (v < p.min || v > p.max) ctx.addIssue({ code: "custom", message: `= ${v} is out of range: allowed ${range} (${p.label})` });
      else if (p.integer && !Number.isInteger(v)) ctx.addIssue({ code: "custom", message: `= ${v} must be a whole number (${p.label})` });
    });
}

const isPow2 = (n: number) => Number.isInteger(n) && n > 0 && (n & (n - 1)) === 0;

function shape<T extends readonly ParamSpec[]>(params: T) {
  return Object.fromEntries(params.map((p) => [p.key, numberOf(p)])) as Record<T[number]["key"], ReturnType<typeof numberOf>>;
}

const byKey = (params: readonly ParamSpec[], key: string) => params.find((p) => p.key === key)!;
const gridShape = shape(GRID_PARAMS);
const opShape = shape(OPERATION_PARAMS);

const fmtRatio = (v: number) => String(Number(v.toPrecision(3)));

export const DEFAULT_GRID = { nx: 128, ny: 128, dx_um: 0.5 } as const;
/**
 * The coarsest 2d cell (um): the one that still resolves the interface half-width (lengths.ts). 1d runs (no
 * interface) take the whole range of dx_um.
 */
export { MAX_2D_DX_UM } from "./lengths.ts";
export const DEFAULT_ELECTROLYTE: ElectrolyteValues = Object.fromEntries(
  ELECTROLYTE_PARAMS.map((p) => [p.key, p.default]),
) as ElectrolyteValues;

// Each of the grid's fields defaults on its own ({ "nx": 32, "ny": 32 } is a 32 x 32 grid of 1 um cells).
const gridSchema = z
  .object({
    nx: gridShape.nx.default(DEFAULT_GRID.nx), ny: gridShape.ny.default(DEFAULT_GRID.ny), dx_um: gridShape.dx_um.default(DEFAULT_GRID.dx_um),
  })
  .strict()
  .superRefine((g, ctx) => {
    for (const k of ["nx", "ny"] as const) {
      if (!isPow2(g[k])) ctx.addIssue({ code: "custom", path: [k], message: `= ${g[k]} must be a power of two (multigrid), e.g. 64, 128, 256` });
    }
  });

const coatingSchema = z
  .object({
    preset: z.enum(PRESET_IDS, { error: (iss) => `is not a known preset: ${JSON.stringify(iss.input)} (run --list-presets)` }),
    ...Object.fromEntries(COATING_PARAMS.map((p) => [p.key, numberOf(p).optional()])),
  })
  .strict();

export const scenarioSchema = z
  .object({
    mode: z.enum(["2d", "1d"], { error: (iss) => `must be "2d" or "1d", got ${JSON.stringify(iss.input)}` }).default("2d"),
    grid: gridSchema.default({ ...DEFAULT_GRID }),
    current_mA_cm2: opShape.current_mA_cm2.default(byKey(OPERATION_PARAMS, "current_mA_cm2").default),
    duration_s: opShape.duration_s.default(byKey(OPERATION_PARAMS, "duration_s").default),
    seed: opShape.seed.default(byKey(OPERATION_PARAMS, "seed").default),
    samples: opShape.samples.default(byKey(OPERATION_PARAMS, "samples").default),
    electrolyte: z
      .object({
        ...Object.fromEntries(ELECTROLYTE_PARAMS.map((p) => [p.key, numberOf(p).optional()])),
        pH: numberOf({ key: "pH", label: "electrolyte pH", unit: "", min: 1, max: 13 } as ParamSpec).optional(),
      })
      .strict()
      .optional(),
    ph_field: z.boolean({ error: (iss) => `must be true or false, got ${JSON.stringify(iss.input)}` }).optional(),
    byproduct: z.boolean({ error: (iss) => `must be true or false, got ${JSON.stringify(iss.input)}` }).optional(),
    coating: coatingSchema,
    protocol: protocolSchema.optional(),
    cycles: cyclesSchema.optional(),
    substrate: substrateSchema.optional(),
    substrate_um: numberOf({ key: "substrate_um", label: "substrate thickness", unit: "um", min: SUBSTRATE_UM_RANGE.min, max: SUBSTRATE_UM_RANGE.max } as ParamSpec).optional(),
  })
  .strict()
  .superRefine((s, ctx) => {
    if (s.mode === "2d" && (s.grid.nx < 16 || s.grid.ny < 16)) {
      ctx.addIssue({ code: "custom", path: ["grid"], message: `nx and ny must be at least 16 in 2d mode, got ${s.grid.nx} x ${s.grid.ny}` });
    }
    if (s.mode === "2d" && s.grid.dx_um > MAX_2D_DX_UM) {
      ctx.addIssue({
        code: "custom", path: ["grid", "dx_um"],
        message: `= ${s.grid.dx_um} um is too coarse for 2d mode: the interface half-width is ${LENGTHS_UM.ell} um and needs at least ${MIN_ELL_CELLS} cell (${LENGTHS_UM.ell} / ${s.grid.dx_um} = ${fmtRatio(LENGTHS_UM.ell / s.grid.dx_um)}), so cells of at most ${fmtRatio(MAX_2D_DX_UM)} um; use smaller cells (more of them), or 1d mode`,
      });
    }
    const height = s.grid.ny * s.grid.dx_um;
    const sub = s.substrate_um ?? LENGTHS_UM.substrate;
    const minHeight = MIN_2D_HEIGHT_UM + sub - LENGTHS_UM.substrate;
    if (s.mode === "2d" && height < minHeight - 1e-9) {
      ctx.addIssue({
        code: "custom", path: ["grid", "ny"],
        message: `= ${s.grid.ny} cells of ${s.grid.dx_um} um make a cell ${fmtRatio(height)} um tall, too short for 2d mode: the ${fmtRatio(sub)} um substrate, nuclei up to ${LENGTHS_UM.nucleusRadiusMax} um and electrolyte above them need at least ${fmtRatio(minHeight)} um (${Math.ceil(minHeight / s.grid.dx_um - 1e-9)} cells of ${s.grid.dx_um} um)`,
      });
    }
    if (s.cycles !== undefined && s.protocol === undefined) {
      ctx.addIssue({ code: "custom", path: ["cycles"], message: `= ${s.cycles} repeats a protocol, and the scenario has none (give "protocol": a list of steps)` });
    }
    if (s.protocol && s.mode === "1d" && s.substrate === "cu") {
      ctx.addIssue({ code: "custom", path: ["substrate"], message: `"cu" needs 2d mode (1d has no substrate to tell apart from the deposit)` });
    }
    const sweep = s.protocol?.findIndex((st) => st.step === "sweep") ?? -1;
    if (sweep >= 0 && s.mode !== "1d") {
      ctx.addIssue({ code: "custom", path: ["protocol", sweep, "step"], message: `= "sweep" needs mode "1d" for now: a polarization curve is a planar electrode's, and a 2d sweep's anodic end would strip its foil through` });
    }
    if (s.electrolyte?.pH !== undefined && !s.ph_field) {
      ctx.addIssue({ code: "custom", path: ["electrolyte", "pH"], message: `= ${s.electrolyte.pH} is the pH field's start: give "ph_field": true to track the pH` });
    }
    if (s.byproduct && !s.ph_field) {
      ctx.addIssue({ code: "custom", path: ["byproduct"], message: `= true precipitates Zn4(OH)6SO4 from the local pH: give "ph_field": true too` });
    }
    if (s.mode === "2d" && s.grid.nx * s.grid.ny > 2048 * 2048) {
      ctx.addIssue({ code: "custom", path: ["grid"], message: `has ${s.grid.nx * s.grid.ny} cells; at most 2048 x 2048` });
    }
  });

export class ScenarioError extends Error {
  override name = "ScenarioError";
}

/** Turns the first zod issue into one clear line: `coating.t_plus = 1.5 is out of range: ...`. */
function describe(error: z.ZodError): string {
  const issue = error.issues[0]!;
  const path = issue.path.join(".") || "scenario";
  if (issue.code === "unrecognized_keys") return `${path}: unknown field(s) ${issue.keys.map((k) => JSON.stringify(k)).join(", ")}`;
  if (issue.code === "invalid_type" && issue.expected === "object") return `${path} must be an object`;
  const msg = issue.message.startsWith("=") ? `${path} ${issue.message}` : `${path} ${issue.message}`;
  return msg;
}

/** Validates raw input (parsed JSON) and fills every default. Throws ScenarioError with one clear line. */
export function parseScenario(raw: unknown): Scenario {
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) throw new ScenarioError("scenario must be a JSON object");
  const r = scenarioSchema.safeParse(raw);
  if (!r.success) throw new ScenarioError(describe(r.error));
  const s = r.data;
  const electrolyte: Scenario["electrolyte"] = { ...DEFAULT_ELECTROLYTE };
  for (const [k, v] of Object.entries(s.electrolyte ?? {})) if (v !== undefined) (electrolyte as Record<string, number>)[k] = v;
  const coating = { preset: s.coating.preset } as Scenario["coating"];
  for (const [k, v] of Object.entries(s.coating)) if (k !== "preset" && v !== undefined) (coating as Record<string, unknown>)[k] = v;
  const scenario: Scenario = {
    mode: s.mode,
    grid: { nx: s.grid.nx, ny: s.grid.ny, dx_um: s.grid.dx_um },
    current_mA_cm2: s.current_mA_cm2,
    duration_s: s.duration_s,
    seed: s.seed,
    samples: s.samples,
    electrolyte,
    coating,
  };
  if (s.ph_field) {
    scenario.ph_field = true;
    electrolyte.pH ??= PH_2M_ZNSO4;
    if (s.byproduct) scenario.byproduct = true;
  }
  if (s.substrate !== undefined) scenario.substrate = s.substrate;
  if (s.substrate_um !== undefined) scenario.substrate_um = s.substrate_um;
  if (s.protocol) withProtocol(scenario, s.protocol as ProtocolStep[], s.cycles ?? 1);
  checkCoatingDrop(scenario);
  return scenario;
}

/**
 * Sets the protocol's fields: each plate or strip step carries its current (the scenario's where it gave none, so
 * that the steps stay as written whatever current_mA_cm2 becomes), current_mA_cm2 becomes the largest step current
 * and duration_s the protocol's longest possible length. Throws ScenarioError where that is too long.
 */
function withProtocol(scenario: Scenario, steps: ProtocolStep[], cycles: number): void {
  const current = scenario.current_mA_cm2;
  const protocol = steps.map((st) =>
    st.step === "sweep"
      ? { step: st.step, from_V: st.from_V, to_V: st.to_V, rate_mV_s: st.rate_mV_s, until: {} }
      : {
        step: st.step,
        ...(st.step === "rest" ? {} : { current_mA_cm2: st.current_mA_cm2 ?? current }),
        until: Object.fromEntries(Object.entries(st.until).filter(([, v]) => v !== undefined)),
      }) as ProtocolStep[];
  const duration = protocolDuration(protocol, cycles, current);
  const max = PROTOCOL_LIMITS.duration_s.max;
  if (duration > max) {
    throw new ScenarioError(`protocol: ${cycles} cycle(s) of these steps last up to ${Number(duration.toPrecision(4))} s, more than the ${max} s a run may take: fewer cycles, or smaller capacities or times`);
  }
  const peak = protocolPeakCurrent(protocol, current);
  if (scenario.mode === "2d" && scenario.substrate !== "cu" && scenario.substrate_um === undefined) {
    const foil = protocolFoilUm(protocol, cycles, current);
    const room = scenario.grid.ny * scenario.grid.dx_um - (MIN_2D_HEIGHT_UM - LENGTHS_UM.substrate);
    if (foil > room) {
      throw new ScenarioError(`protocol: a zinc electrode this protocol strips needs a ${fmtRatio(foil)} um foil in the cell (protocolFoilUm), and a ${fmtRatio(scenario.grid.ny * scenario.grid.dx_um)} um tall cell holds at most ${fmtRatio(room)} um: make the cell taller, or give substrate_um`);
    }
    if (foil > LENGTHS_UM.substrate) scenario.substrate_um = foil;
  }
  scenario.protocol = protocol;
  scenario.cycles = cycles;
  // A rest-only protocol passes no current: its time step is that of the scenario's current.
  if (peak > 0) scenario.current_mA_cm2 = peak;
  scenario.duration_s = duration;
}

/**
 * Why the app cannot run `s` yet, or null: a sweep step (potential control) needs a planar (1d) electrode, which the
 * field view does not draw; it runs in the headless runner (docs/MODEL.md, "Linear sweep and Tafel").
 */
export function appRefusal(s: Pick<Scenario, "protocol">, where: string): string | null {
  const sweep = s.protocol?.some((st) => st.step === "sweep");
  return sweep ? `${where} does not run a sweep step (potential control) yet; it runs in the headless runner: npm run sim -- --scenario FILE --out RESULT.json` : null;
}

/**
 * The zinc foil (um) a protocol on a zinc electrode starts with where the scenario gives none: the model's 3 um plus a
 * quarter of the zinc its strip steps could take away over all cycles (each to its capacity or time bound), so that
 * the foil outlasts a run whose mean Coulombic efficiency stays above 75 % (estimate: bare Zn in 2 M ZnSO4 cycles at
 * 90-99 %), plus all the zinc its rest steps could lose at bare Zn's corrosion current (coatings lose less). A run
 * that uses its foil up stops and says so (protocolRun.ts).
 */
export function protocolFoilUm(protocol: readonly ProtocolStep[], cycles: number, current: number): number {
  const steps = cycleSteps(protocol, current);
  const strip = steps.filter((st) => st.kind === "strip").reduce((a, st) => a + Math.min(st.charge_C_m2, -st.current_A_m2 * st.time_s), 0);
  const rest = steps.filter((st) => st.kind === "rest").reduce((a, st) => a + I_H0_BARE_A_M2 * st.time_s, 0);
  const um = (q: number) => ((cycles * q * ZN_MOLAR_VOLUME) / (N_ZN * FARADAY)) * 1e6;
  const extra = Math.ceil(0.25 * um(strip) * 10) / 10 + (rest > 0 ? Math.ceil(um(rest) * 10) / 10 : 0);
  return Math.min(SUBSTRATE_UM_RANGE.max, LENGTHS_UM.substrate + extra);
}

/** Largest ohmic drop across the layer the model accepts: beyond it no cell would run, and the kinetics clip. */
export const MAX_COATING_DROP_V = 0.5;

function checkCoatingDrop(s: Scenario): void {
  const c = coatingValues(s);
  const drop = (s.current_mA_cm2 * 10 * c.thickness_nm * 1e-9) / (c.sigma_mS_cm * 0.1);
  if (drop > MAX_COATING_DROP_V) {
    throw new ScenarioError(
      `coating: ohmic drop i h / sigma = ${drop.toPrecision(3)} V across the layer (${c.thickness_nm} nm at ${c.sigma_mS_cm} mS/cm, ` +
        `${s.current_mA_cm2} mA/cm2) exceeds ${MAX_COATING_DROP_V} V; the layer would block the cell: make it thinner or more conductive`,
    );
  }
}

/** JSON text of a `what` (scenario, sweep): a syntax error becomes a ScenarioError naming it. */
export function parseJsonText(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new ScenarioError(`${what} is not valid JSON: ${(e as Error).message}`);
  }
}

/** Parses JSON text; a syntax error becomes a ScenarioError too. */
export function parseScenarioJson(text: string): Scenario {
  return parseScenario(parseJsonText(text, "scenario"));
}

/**
 * The scenario run for `duration_s`, with the same time between samples where the new duration is a whole number of
 * them (within the samples' range): the time step, which that interval sets, then stays, so a run can go on to the
 * new duration (or end at it) without starting again. Otherwise the same number of samples, over the new duration.
 * Throws ScenarioError as parseScenario does.
 */
export function withDuration(s: Scenario, duration_s: number): Scenario {
  const interval = s.duration_s / s.samples;
  const n = Math.round(duration_s / interval);
  const { min, max } = byKey(OPERATION_PARAMS, "samples");
  // The same interval as a double (the division rounds both exact ratios alike: 40 / 400 is 20 / 200, where
  // 400 * (20 / 200) is not 40), hence the same time step.
  const keeps = n >= min && n <= max && duration_s / n === interval;
  return parseScenario({ ...s, duration_s, samples: keeps ? n : s.samples });
}

/** The default scenario of a preset: the one the app opens with and `npm run sim -- --preset ID` runs. */
export function presetScenario(id: PresetId): Scenario {
  return parseScenario({ coating: { preset: id } });
}

/** The coating values in effect: the preset's numbers with the scenario's overrides on top. */
export function coatingValues(s: Scenario): CoatingValues {
  const preset = getPreset(s.coating.preset)!;
  const values = presetValues(preset);
  for (const p of COATING_PARAMS) {
    const v = s.coating[p.key];
    if (v !== undefined) values[p.key] = v;
  }
  return values;
}


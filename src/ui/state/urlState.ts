/**
 * The whole page state in the address: `?preset=cof&c.t_plus=0.9&e.c0_M=1&current_mA_cm2=5&duration_s=600&samples=50
 * &mode=1d&nx=64&ny=64&seed=3&layer=potential&speed=2&compare=bare,cof,znf2`. Only what differs from the defaults is written; `compare` (the
 * coatings of the side-by-side comparison, two to four) only while that panel is open. A broken or tampered part of the
 * address is named in one clear message and left at its default; the rest of the address still applies; never a crash.
 */
import { COATING_PARAMS, ELECTROLYTE_PARAMS } from "../../model/params.ts";
import { appRefusal, DEFAULT_ELECTROLYTE, DEFAULT_GRID, parseScenario, ScenarioError, type Scenario } from "../../model/scenario.ts";
import { getPreset } from "../../model/presets.ts";
import { FIELD_LAYERS, type FieldLayer } from "../sim/types.ts";
import { formulaText } from "../text.ts";
import { protocolChoiceOf } from "../protocolChoice.ts";
import { APP_PROTOCOL_PRESETS, isProtocolPreset, protocolPreset, type ProtocolStep } from "../../model/protocol.ts";

/**
 * The app's default grid: the model's (DEFAULT_GRID, the converged cell size over a cell wide enough for several
 * nuclei). Where it is not asked for, a software adapter and the CPU worker run a smaller piece of it at the same cell
 * size (runRules.ts runPiece); a grid the address names runs as asked.
 */
export const APP_GRID = DEFAULT_GRID;
export const SPEEDS = [1, 2, 5, 10, 20, 50] as const;

export interface PageSetup {
  scenario: Scenario;
  layer: FieldLayer;
  speed: number;
  /** The comparison's coatings (preset ids) where the address opens it. */
  compare?: string[];
  /** `view=whole`: the fields show their whole cell instead of following the front (sim/framing.ts). */
  whole?: boolean;
}

export const COMPARE_PANES = { min: 2, max: 4 } as const;

export function defaultSetup(preset = "bare"): PageSetup {
  return { scenario: parseScenario({ coating: { preset }, grid: APP_GRID }), layer: "deposit", speed: 1 };
}

const TOP = ["current_mA_cm2", "duration_s", "samples", "seed", "nx", "ny", "dx_um"] as const;

export function setupToSearch({ scenario: s, layer, speed, compare, whole }: PageSetup): string {
  const q = new URLSearchParams();
  q.set("preset", s.coating.preset);
  for (const p of COATING_PARAMS) {
    const v = s.coating[p.key];
    if (v !== undefined) q.set(`c.${p.key}`, String(v));
  }
  for (const p of ELECTROLYTE_PARAMS) if (s.electrolyte[p.key] !== DEFAULT_ELECTROLYTE[p.key]) q.set(`e.${p.key}`, String(s.electrolyte[p.key]));
  const d = defaultSetup(s.coating.preset).scenario;
  // With a protocol, the current and the duration are its own (parseScenario sets them).
  if (!s.protocol && s.current_mA_cm2 !== d.current_mA_cm2) q.set("current_mA_cm2", String(s.current_mA_cm2));
  if (!s.protocol && s.duration_s !== d.duration_s) q.set("duration_s", String(s.duration_s));
  if (s.samples !== d.samples) q.set("samples", String(s.samples));
  if (s.mode !== d.mode) q.set("mode", s.mode);
  if (s.seed !== d.seed) q.set("seed", String(s.seed));
  if (s.grid.nx !== d.grid.nx) q.set("nx", String(s.grid.nx));
  if (s.grid.ny !== d.grid.ny) q.set("ny", String(s.grid.ny));
  if (s.grid.dx_um !== d.grid.dx_um) q.set("dx_um", String(s.grid.dx_um));
  if (s.protocol) writeProtocol(q, s);
  // The pH field and the by-product (docs/MODEL.md "pH", "By-product"); the pH's start where it is not 2 M ZnSO4's.
  if (s.ph_field) q.set("ph", s.byproduct ? "byproduct" : "on");
  if (layer !== "deposit") q.set("layer", layer);
  if (speed !== 1) q.set("speed", String(speed));
  if (compare) q.set("compare", compare.join(","));
  if (whole) q.set("view", "whole");
  return "?" + q.toString();
}

/**
 * The protocol in the address: a preset's name and its numbers (`protocol=symmetric&protocol.current_mA_cm2=1
 * &protocol.capacity_mAh_cm2=0.05&cycles=3`; `protocol=rest&protocol.time_s=600`), or a loaded file's own steps as
 * JSON (`protocol=steps&protocol.steps=[...]&cycles=2&substrate=cu`).
 */
function writeProtocol(q: URLSearchParams, s: Scenario): void {
  const c = protocolChoiceOf(s);
  if (c.id === "symmetric" || c.id === "zn-cu-ce") {
    q.set("protocol", c.id);
    q.set("protocol.current_mA_cm2", String(c.current_mA_cm2));
    q.set("protocol.capacity_mAh_cm2", String(c.capacity_mAh_cm2));
    q.set("cycles", String(c.cycles));
  } else if (c.id === "rest") {
    q.set("protocol", "rest");
    q.set("protocol.time_s", String(c.duration_s));
  } else {
    q.set("protocol", "steps");
    q.set("protocol.steps", JSON.stringify(s.protocol));
    q.set("cycles", String(s.cycles ?? 1));
    if (s.substrate === "cu") q.set("substrate", "cu");
  }
}

const PROTOCOL_KEYS = ["protocol.current_mA_cm2", "protocol.capacity_mAh_cm2", "protocol.time_s", "protocol.steps", "cycles", "substrate"] as const;
const PROTOCOL_NAMES = [...APP_PROTOCOL_PRESETS.map((p) => p.id), "steps"];

/**
 * The address's protocol as one part of the scenario, or the reason it cannot be: a name that is none of the presets
 * (or "steps"), a number that is not one, steps that are not JSON. The model checks the rest when the part is used.
 */
function protocolPart(q: URLSearchParams): { part?: Part; reason?: string } {
  const name = q.get("protocol");
  if (name === null) {
    const stray = PROTOCOL_KEYS.find((k) => q.has(k));
    return stray ? { reason: `${stray} is given without a protocol (add protocol=symmetric, zn-cu-ce, rest or steps)` } : {};
  }
  if (!PROTOCOL_NAMES.includes(name)) return { reason: `protocol "${name}" is not one of ${PROTOCOL_NAMES.join(", ")} (the run plates at one current)` };
  const nums: Record<string, number> = {};
  for (const k of ["protocol.current_mA_cm2", "protocol.capacity_mAh_cm2", "protocol.time_s", "cycles"]) {
    const text = q.get(k);
    if (text === null) continue;
    const v = Number(text);
    if (text.trim() === "" || !Number.isFinite(v)) return { reason: `${k} = "${text}" is not a number (the run plates at one current)` };
    nums[k] = v;
  }
  const cycles = nums.cycles ?? 1;
  const key = "protocol";
  if (name === "steps") {
    let steps: unknown;
    try {
      steps = JSON.parse(q.get("protocol.steps") ?? "");
    } catch {
      return { reason: "protocol.steps is not a JSON list of steps (the run plates at one current)" };
    }
    const refusal = Array.isArray(steps) ? appRefusal({ protocol: steps as ProtocolStep[] }, "the app") : null;
    if (refusal) return { reason: `protocol.steps: ${refusal.split(";")[0]} (the run plates at one current)` };
    const substrate = q.get("substrate") ?? undefined;
    return { part: { key, put: (raw) => Object.assign(raw, { protocol: steps, cycles, ...(substrate ? { substrate } : {}) }) } };
  }
  if (!isProtocolPreset(name)) return {};
  const o = {
    current_mA_cm2: nums["protocol.current_mA_cm2"] ?? 1, capacity_mAh_cm2: nums["protocol.capacity_mAh_cm2"] ?? 0.05,
    cycles, duration_s: nums["protocol.time_s"] ?? 600,
  };
  return { part: { key, put: (raw) => Object.assign(raw, protocolPreset(name, o)) } };
}

/** One key of the address as it goes into the scenario. */
interface Part {
  key: string;
  put(raw: Raw): void;
}
type Raw = { coating: Record<string, unknown>; electrolyte: Record<string, number>; grid: Record<string, number>; [key: string]: unknown };

const GRID_KEYS = ["mode", "nx", "ny", "dx_um"] as const;

/**
 * Reads the address. Each part that cannot be used is left out and named in `error`, and the rest is applied: a
 * shared link with one stale or mistyped value still opens its coating, its operation and its view. Parts are checked
 * alone on the preset's defaults first (a grid key with the address's mode, which bounds it), then together; where
 * only the combination fails (a coating too resistive for the address's current), the last part that makes it whole
 * again is left out. A key given twice is named; its last valid value applies.
 */
export function searchToSetup(search: string): { setup: PageSetup; error: string | null; gridAsked: boolean } {
  const q = new URLSearchParams(search);
  const reasons: string[] = [];
  let presetId = q.get("preset") ?? "bare";
  if (!getPreset(presetId)) {
    reasons.push(`preset "${presetId}" is not one of the 26 coatings`);
    presetId = "bare";
  }
  const num = (key: string, text: string): number | null => {
    const v = Number(text);
    if (text.trim() === "" || !Number.isFinite(v)) {
      reasons.push(`${key} = "${text}" is not a number`);
      return null;
    }
    return v;
  };
  let layer: FieldLayer = "deposit", speed = 1;
  let compare: string[] | undefined;
  let whole = false;
  let used = 0;
  const parts: Part[] = [];
  let mode: Part | undefined;
  const seen = new Map<string, number>();
  for (const [key] of q) seen.set(key, (seen.get(key) ?? 0) + 1);
  for (const [key, n] of seen) if (n > 1) reasons.push(`${key} is given ${n} times (the last valid one is used)`);
  const proto = protocolPart(q);
  if (proto.reason) reasons.push(proto.reason);
  for (const [key, text] of q) {
    if (key === "preset" || key === "protocol" || (PROTOCOL_KEYS as readonly string[]).includes(key)) continue;
    if (key === "layer") {
      if ((FIELD_LAYERS as readonly string[]).includes(text)) [layer, used] = [text as FieldLayer, used + 1];
      else reasons.push(`layer "${text}" is not one of ${FIELD_LAYERS.join(", ")}`);
    } else if (key === "speed") {
      const v = num(key, text);
      if (v !== null && (SPEEDS as readonly number[]).includes(v)) [speed, used] = [v, used + 1];
      else if (v !== null) reasons.push(`speed = ${text} is not one of ${SPEEDS.join(", ")} steps per frame`);
    } else if (key === "compare") {
      const ids = text.split(",").map((id) => id.trim());
      const unknown = ids.find((id) => !getPreset(id));
      if (unknown !== undefined) reasons.push(`compare: "${unknown}" is not one of the 26 coatings`);
      else if (ids.length < COMPARE_PANES.min || ids.length > COMPARE_PANES.max) {
        reasons.push(`compare lists ${ids.length} coating${ids.length === 1 ? "" : "s"}; it takes ${COMPARE_PANES.min} to ${COMPARE_PANES.max}`);
      } else [compare, used] = [ids, used + 1];
    } else if (key === "view") {
      if (text === "whole" || text === "front") [whole, used] = [text === "whole", used + 1];
      else reasons.push(`view "${text}" is not whole or front`);
    } else if (key === "ph") {
      if (text === "on" || text === "byproduct") parts.push({ key, put: (raw) => void Object.assign(raw, { ph_field: true, ...(text === "byproduct" ? { byproduct: true } : {}) }) });
      else reasons.push(`ph "${text}" is not on or byproduct`);
    } else if (key === "mode") {
      if (text === "1d" || text === "2d") mode = { key, put: (raw) => void (raw.mode = text) };
      else reasons.push(`mode "${text}" is not 1d or 2d`);
    } else if ((GRID_KEYS as readonly string[]).includes(key)) {
      const v = num(key, text);
      if (v !== null) parts.push({ key, put: (raw) => void (raw.grid[key] = v) });
    } else if (key.startsWith("c.") && COATING_PARAMS.some((p) => p.key === key.slice(2))) {
      const v = num(key, text);
      if (v !== null) parts.push({ key, put: (raw) => void (raw.coating[key.slice(2)] = v) });
    } else if (key.startsWith("e.") && ELECTROLYTE_PARAMS.some((p) => p.key === key.slice(2))) {
      const v = num(key, text);
      if (v !== null) parts.push({ key, put: (raw) => void (raw.electrolyte[key.slice(2)] = v) });
    } else if ((TOP as readonly string[]).includes(key)) {
      const v = num(key, text);
      if (v !== null) parts.push({ key, put: (raw) => void (raw[key] = v) });
    } else {
      reasons.push(`"${key}" is not a setting this page knows`);
    }
  }
  if (mode) parts.unshift(mode);
  // Last: a file's steps without their own current take the address's.
  if (proto.part) parts.push(proto.part);
  const build = (use: readonly Part[]): Scenario => {
    const raw: Raw = { coating: { preset: presetId }, electrolyte: {}, grid: { ...APP_GRID } };
    for (const p of use) p.put(raw);
    return parseScenario(raw);
  };
  const why = (e: unknown) => (e instanceof ScenarioError ? e.message : String(e));
  // Each part alone on the preset's defaults (a grid size or cell with the address's mode, which bounds them).
  let kept = parts.filter((p) => {
    try {
      build(mode && p !== mode && (GRID_KEYS as readonly string[]).includes(p.key) ? [mode, p] : [p]);
      return true;
    } catch (e) {
      reasons.push(why(e));
      return false;
    }
  });
  let scenario: Scenario;
  try {
    scenario = build(kept);
  } catch (e) {
    // Only the combination fails: leave out the last part that makes the rest whole, or else all of them.
    const drop = [...kept].reverse().find((p) => {
      try {
        build(kept.filter((k) => k !== p));
        return true;
      } catch {
        return false;
      }
    });
    reasons.push(`${why(e)} (${drop ? drop.key : "all of those settings"} left out)`);
    kept = drop ? kept.filter((k) => k !== drop) : [];
    scenario = build(kept);
  }
  const setup: PageSetup = { scenario, layer, speed, ...(compare ? { compare } : {}), ...(whole ? { whole } : {}) };
  // The address names the grid where one of its grid sizes or its cell size applies (a refused one does not).
  const gridAsked = kept.some((p) => p.key === "nx" || p.key === "ny" || p.key === "dx_um");
  if (reasons.length === 0) return { setup, error: null, gridAsked };
  const name = formulaText(getPreset(presetId)!.name);
  if (q.has("preset") && presetId === q.get("preset")) used++;
  return {
    setup,
    gridAsked,
    error: used + kept.length > 0
      ? `Part of the address could not be used (${reasons.join("; ")}); those settings keep the defaults of ${name}, and the rest of the address is applied.`
      : `The address could not be used (${reasons.join("; ")}), so the page shows the defaults of ${name}.`,
  };
}

/** True for a message of searchToSetup's: while it shows, the page leaves the address as it was given. */
export const isAddressNotice = (notice: string | null | undefined): boolean => /^(The|Part of the) address could not be used/.test(notice ?? "");

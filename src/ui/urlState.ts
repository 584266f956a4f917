/**
 * The whole page state in the address: `?preset=cof&c.t_plus=0.9&e.c0_M=1&current_mA_cm2=5&duration_s=600&samples=50
 * &mode=1d&nx=64&ny=64&seed=3&layer=potential&speed=2&compare=bare,cof,znf2`. Only what differs from the defaults is written; `compare` (the
 * coatings of the side-by-side comparison, two to four) only while that panel is open. A broken or tampered address gives
 * one clear message and the defaults (of its preset where that part is valid), never a crash.
 */
import { COATING_PARAMS, ELECTROLYTE_PARAMS } from "../model/params.ts";
import { DEFAULT_ELECTROLYTE, parseScenario, ScenarioError, type Scenario } from "../model/scenario.ts";
import { getPreset } from "../model/presets.ts";
import { FIELD_LAYERS, type FieldLayer } from "./sim/types.ts";

/** The app's own defaults: a grid that steps live on any adapter. */
export const APP_GRID = { nx: 64, ny: 64, dx_um: 1 } as const;
export const SPEEDS = [1, 2, 5, 10, 20, 50] as const;

export interface PageSetup {
  scenario: Scenario;
  layer: FieldLayer;
  speed: number;
  /** The comparison's coatings (preset ids) where the address opens it. */
  compare?: string[];
}

export const COMPARE_PANES = { min: 2, max: 4 } as const;

export function defaultSetup(preset = "bare"): PageSetup {
  return { scenario: parseScenario({ coating: { preset }, grid: APP_GRID }), layer: "deposit", speed: 1 };
}

const TOP = ["current_mA_cm2", "duration_s", "samples", "seed", "nx", "ny", "dx_um"] as const;

export function setupToSearch({ scenario: s, layer, speed, compare }: PageSetup): string {
  const q = new URLSearchParams();
  q.set("preset", s.coating.preset);
  for (const p of COATING_PARAMS) {
    const v = s.coating[p.key];
    if (v !== undefined) q.set(`c.${p.key}`, String(v));
  }
  for (const p of ELECTROLYTE_PARAMS) if (s.electrolyte[p.key] !== DEFAULT_ELECTROLYTE[p.key]) q.set(`e.${p.key}`, String(s.electrolyte[p.key]));
  const d = defaultSetup(s.coating.preset).scenario;
  if (s.current_mA_cm2 !== d.current_mA_cm2) q.set("current_mA_cm2", String(s.current_mA_cm2));
  if (s.duration_s !== d.duration_s) q.set("duration_s", String(s.duration_s));
  if (s.samples !== d.samples) q.set("samples", String(s.samples));
  if (s.mode !== d.mode) q.set("mode", s.mode);
  if (s.seed !== d.seed) q.set("seed", String(s.seed));
  if (s.grid.nx !== d.grid.nx) q.set("nx", String(s.grid.nx));
  if (s.grid.ny !== d.grid.ny) q.set("ny", String(s.grid.ny));
  if (s.grid.dx_um !== d.grid.dx_um) q.set("dx_um", String(s.grid.dx_um));
  if (layer !== "deposit") q.set("layer", layer);
  if (speed !== 1) q.set("speed", String(speed));
  if (compare) q.set("compare", compare.join(","));
  return "?" + q.toString();
}

/** Reads the address; `error` says what was wrong with it (and the setup is then the defaults). */
export function searchToSetup(search: string): { setup: PageSetup; error: string | null } {
  const q = new URLSearchParams(search);
  const presetId = q.get("preset") ?? "bare";
  const fallback = defaultSetup(getPreset(presetId) ? presetId : "bare");
  try {
    if (!getPreset(presetId)) throw new ScenarioError(`preset "${presetId}" is not one of the 26 coatings`);
    const num = (key: string, text: string) => {
      const v = Number(text);
      if (text.trim() === "" || !Number.isFinite(v)) throw new ScenarioError(`${key} = "${text}" is not a number`);
      return v;
    };
    const coating: Record<string, unknown> = { preset: presetId };
    const electrolyte: Record<string, number> = {};
    const raw: Record<string, unknown> = { coating, electrolyte, grid: { ...APP_GRID } };
    let layer: FieldLayer = "deposit", speed = 1;
    let compare: string[] | undefined;
    for (const [key, text] of q) {
      if (key === "preset") continue;
      if (key === "layer") {
        if (!(FIELD_LAYERS as readonly string[]).includes(text)) throw new ScenarioError(`layer "${text}" is not one of ${FIELD_LAYERS.join(", ")}`);
        layer = text as FieldLayer;
      } else if (key === "mode") {
        if (text !== "1d" && text !== "2d") throw new ScenarioError(`mode "${text}" is not 1d or 2d`);
        raw.mode = text;
      } else if (key === "speed") {
        speed = num(key, text);
        if (!(SPEEDS as readonly number[]).includes(speed)) throw new ScenarioError(`speed = ${text} is not one of ${SPEEDS.join(", ")} steps per frame`);
      } else if (key === "compare") {
        compare = text.split(",").map((id) => id.trim());
        const unknown = compare.find((id) => !getPreset(id));
        if (unknown !== undefined) throw new ScenarioError(`compare: "${unknown}" is not one of the 26 coatings`);
        if (compare.length < COMPARE_PANES.min || compare.length > COMPARE_PANES.max) {
          throw new ScenarioError(`compare lists ${compare.length} coating${compare.length === 1 ? "" : "s"}; it takes ${COMPARE_PANES.min} to ${COMPARE_PANES.max}`);
        }
      } else if (key.startsWith("c.") && COATING_PARAMS.some((p) => p.key === key.slice(2))) {
        coating[key.slice(2)] = num(key, text);
      } else if (key.startsWith("e.") && ELECTROLYTE_PARAMS.some((p) => p.key === key.slice(2))) {
        electrolyte[key.slice(2)] = num(key, text);
      } else if ((TOP as readonly string[]).includes(key)) {
        if (key === "nx" || key === "ny" || key === "dx_um") (raw.grid as Record<string, number>)[key] = num(key, text);
        else raw[key] = num(key, text);
      } else {
        throw new ScenarioError(`"${key}" is not a setting this page knows`);
      }
    }
    return { setup: { scenario: parseScenario(raw), layer, speed, ...(compare ? { compare } : {}) }, error: null };
  } catch (e) {
    const why = e instanceof ScenarioError ? e.message : String(e);
    return { setup: fallback, error: `The address could not be used (${why}), so the page shows the defaults of ${getPreset(fallback.scenario.coating.preset)!.name}.` };
  }
}

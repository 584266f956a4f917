/**
 * The rules a run lives by, without React or a backend: the CPU fallback's grid and its words, what a running run
 * takes as a uniform write and what waits for a restart, and the backend factories a controller is given.
 */
import { parseScenario, type Scenario } from "../../model/scenario.ts";
import { stepSchedule } from "../../model/coefficients.ts";
import { fmt } from "../text.ts";
import { APP_GRID } from "../state/urlState.ts";
import type { WarmTiming } from "./warmup.ts";
import type { SimBackend } from "./types.ts";

/**
 * The most cells the CPU fallback runs: 128 x 128, ~9 ms a coupled step of the CPU solver on one core
 * (docs/PERFORMANCE.md), so one step a frame keeps up with a 60 Hz display.
 */
export const CPU_FALLBACK_CELLS = 128 * 128;

/**
 * The CPU fallback's scenario: the asked grid where it has at most CPU_FALLBACK_CELLS cells; otherwise narrower
 * (its width halved, down to 32 cells: room for several nuclei) and only then lower (down to 16), until it has.
 * The height is kept first because it keeps a growing deposit inside the cell (runStop.ts); the cells keep their
 * size (the physics is tuned to it), so a smaller grid is a narrower (or shorter) piece of the electrode.
 */
export function fallbackScenario(s: Scenario): Scenario {
  let { nx, ny } = s.grid;
  while (nx * ny > CPU_FALLBACK_CELLS && nx > 32) nx >>= 1;
  while (nx * ny > CPU_FALLBACK_CELLS && ny > 16) ny >>= 1;
  return onGrid(s, nx, ny);
}

/**
 * The most cells of the page's default grid where a step is slow, on a software WebGPU adapter (SwiftShader) and on
 * the CPU worker: 64 x 64, the grid the app opened with before the cells were refined, which steps live there.
 */
export const SMALL_DEFAULT_CELLS = 64 * 64;

/** Where a run steps: a hardware GPU adapter, a software one (isSoftwareAdapter, src/engine/options.ts), or the CPU worker. */
export type RunPlace = "hardware" | "software" | "cpu";

/**
 * A smaller piece of `s`'s grid with at most `cells` cells and the same cell size: its longer side halved (the width
 * first), down to 16 cells a side, so the piece stays as square as the grid was.
 */
export function smallerPiece(s: Scenario, cells = SMALL_DEFAULT_CELLS): Scenario {
  let { nx, ny } = s.grid;
  while (nx * ny > cells && (nx > 16 || ny > 16)) {
    if ((nx >= ny && nx > 16) || ny <= 16) nx >>= 1;
    else ny >>= 1;
  }
  return onGrid(s, nx, ny);
}

/**
 * True where `s` runs the app's default grid (APP_GRID, 2d) that nobody asked for: the address, a grid control or a
 * scenario file did not name it (`asked`). Only such a grid is made smaller on a slow adapter; an asked one is kept.
 */
export function isDefaultGrid(s: Scenario, asked: boolean): boolean {
  const g = s.grid;
  return !asked && s.mode === "2d" && g.nx === APP_GRID.nx && g.ny === APP_GRID.ny && g.dx_um === APP_GRID.dx_um;
}

/**
 * The scenario a run of `s` steps at `place`: on a hardware adapter the grid asked; on the CPU worker at most
 * CPU_FALLBACK_CELLS (fallbackScenario); and where `defaultGrid` (isDefaultGrid), on a software adapter or the CPU
 * worker, a smaller piece of at most SMALL_DEFAULT_CELLS at the same cell size (smallerPiece).
 */
export function runPiece(s: Scenario, place: RunPlace, defaultGrid: boolean): Scenario {
  const capped = place === "cpu" ? fallbackScenario(s) : s;
  return defaultGrid && place !== "hardware" && s.mode === "2d" ? smallerPiece(capped) : capped;
}

/** The start of the banner where a software adapter runs the default grid smaller (softwareGridText). */
const SOFTWARE_NOTE = "This WebGPU adapter is a software one";

/** The banner's words where a software adapter (`label`) runs a smaller piece `run` of the default grid `asked`. */
export function softwareGridText(label: string, asked: Scenario, run: Scenario): string {
  return `${SOFTWARE_NOTE} (${label}), slow, so the default grid runs ${fallbackGridText(asked, run)}. Pick a grid in the run bar to run that one as asked.`;
}

/** True for a banner of softwareGridText's: a later run on the grid asked takes it down. */
export const isSoftwareNote = (banner: string | null | undefined): boolean => (banner ?? "").startsWith(SOFTWARE_NOTE);

/** The banner's words for the CPU fallback's grid: the same as asked, or which smaller piece it runs. */
export function fallbackGridText(asked: Scenario, run: Scenario): string {
  const { nx, ny, dx_um } = run.grid;
  if (run.mode === "1d") return `on the same column of ${ny} cells (1d)`;
  const um = (n: number) => fmt(n * dx_um, 4);
  if (nx === asked.grid.nx && ny === asked.grid.ny) return `on the same ${nx} × ${ny} grid (${um(nx)} × ${um(ny)} µm)`;
  return `on a smaller ${nx} × ${ny} grid (${um(nx)} × ${um(ny)} µm of the ${um(asked.grid.nx)} × ${um(asked.grid.ny)} µm asked, same ${dx_um} µm cells)`;
}

/** `s` on an nx x ny grid (itself where it already is). */
export function onGrid(s: Scenario, nx: number, ny: number): Scenario {
  return s.grid.nx === nx && s.grid.ny === ny ? s : parseScenario({ ...s, grid: { ...s.grid, nx, ny } });
}

/** The same mode and grid (size and cells). */
export const sameGrid = (a: Scenario, b: Scenario) =>
  a.mode === b.mode && a.grid.nx === b.grid.nx && a.grid.ny === b.grid.ny && a.grid.dx_um === b.grid.dx_um;
const sameSchedule = (a: Scenario, b: Scenario) => {
  const p = stepSchedule(a), q = stepSchedule(b);
  // The samples' count may differ: the same interval over another duration (withDuration) is the same steps, more or fewer.
  return p.dt === q.dt && p.stepsPerSample === q.stepsPerSample;
};

/** The same protocol (its steps and cycles) on the same substrate: a run's clock and cycle table go on only then. */
export const sameProtocol = (a: Scenario, b: Scenario) =>
  JSON.stringify([a.protocol, a.cycles, a.substrate, a.substrate_um]) === JSON.stringify([b.protocol, b.cycles, b.substrate, b.substrate_um]);

/**
 * What keeps `b` from going on as a uniform write on a run of `a`, as the restart button names it, or null: another
 * grid or seed (another start), or another time step or sample schedule (the steps so far would stand for another
 * time: set by the current, the duration, the electrolyte (Sand's time) and the cell size).
 */
export function restartReason(a: Scenario, b: Scenario): string | null {
  const why = [
    !sameGrid(a, b) && "the new grid",
    a.seed !== b.seed && "the new seed",
    !sameProtocol(a, b) && "the new protocol",
    (!!a.ph_field !== !!b.ph_field || !!a.byproduct !== !!b.byproduct) && "the pH field (its engine passes)",
    sameProtocol(a, b) && !sameSchedule(a, b) && "the new time step (set by the current density, duration and electrolyte)",
  ].filter((w): w is string => !!w);
  return why.length ? why.join(" and ") : null;
}

/** True when two scenarios need separate runs; otherwise a uniform write will do. */
export function needsRestart(a: Scenario, b: Scenario): boolean {
  return restartReason(a, b) !== null;
}

/**
 * The part of `b` that a run of `a` can take as a uniform write: `b` with `a`'s grid and seed, and where the time
 * step would still change, `a`'s current and duration too; null when even that would change it (an electrolyte that moves Sand's time).
 */
export function liveScenario(a: Scenario, b: Scenario): Scenario | null {
  try {
    // The protocol stays the running one's (its clock runs in the backend) until a restart.
    const { protocol: _p, cycles: _c, substrate: _s, substrate_um: _u, ph_field: _f, byproduct: _b, ...rest } = b;
    const same = { protocol: a.protocol, cycles: a.cycles, substrate: a.substrate, substrate_um: a.substrate_um, ph_field: a.ph_field, byproduct: a.byproduct };
    const run = Object.fromEntries(Object.entries(same).filter(([, v]) => v !== undefined));
    let live = parseScenario({ ...rest, ...run, mode: a.mode, grid: a.grid, seed: a.seed });
    if (!sameSchedule(a, live)) live = parseScenario({ ...live, current_mA_cm2: a.current_mA_cm2, duration_s: a.duration_s, samples: a.samples });
    return sameSchedule(a, live) ? live : null;
  } catch {
    return null; // b's values do not all fit a's grid (a check across fields): nothing applies before the restart
  }
}

export interface BackendFactories {
  gpu: (s: Scenario) => Promise<SimBackend>;
  cpu: (s: Scenario) => Promise<SimBackend>;
  /**
   * Whether the GPU's adapter is a hardware or a software one (rejects where WebGPU is missing, as `gpu` would);
   * left out, a hardware one.
   */
  gpuPlace?: () => Promise<"hardware" | "software">;
  /**
   * The warm-up of a hardware adapter (gpuBackend.ts gpuWarmup): each candidate's step and drawing timed, coarse to
   * fine; left out, no warm-up (the default grid runs as on any hardware adapter before).
   */
  gpuWarmup?: (candidates: readonly Scenario[], speed: number) => Promise<{ label: string; timings: (WarmTiming | undefined)[] }>;
}

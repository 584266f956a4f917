/**
 * The page's state (zustand): the scenario the controls edit, the run's status and its bounded history, and the
 * named actions that change it (pageActions: components and the run controller call these, never setState).
 * Data flows one way: controls -> store -> run controller (uniform write) -> backend -> frames -> store -> charts.
 */
import { create } from "zustand";
import type { SeriesRow } from "../../model/metrics.ts";
import type { CycleRow } from "../../model/cycleLog.ts";
import type { Scenario } from "../../model/scenario.ts";
import type { FieldLayer, ColourScale, CellValues } from "../sim/types.ts";
import { isAddressNotice } from "./urlState.ts";

export type RunStatus = "starting" | "paused" | "running" | "done" | "error";

export interface PageState {
  scenario: Scenario;
  /**
   * Whether the scenario's grid was asked for (by the address, the grid control or a scenario file): false for the
   * app's default grid, which a software adapter and the CPU worker run a smaller piece of (runRules.ts runPiece).
   */
  gridAsked: boolean;
  /** The scenario the running backend was built with (grid and seed need a restart to change). */
  running: Scenario;
  layer: FieldLayer;
  /** Coupled steps per animation frame. */
  speed: number;
  status: RunStatus;
  backend: { kind: "gpu" | "cpu"; label: string } | null;
  /** A banner for the whole page (e.g. the CPU fallback), null when none. */
  banner: string | null;
  /** Why the run has the grid it has, for the run bar (a hardware GPU's warm-up, a software adapter, the CPU worker). */
  gridWhy: string | null;
  error: string | null;
  /** A message about the address or an uploaded file, null when none. */
  notice: string | null;
  step: number;
  steps: number;
  t_s: number;
  stepsPerSecond: number;
  framesPerSecond: number;
  latest: SeriesRow | null;
  /** At most HISTORY_CAP rows, thinned evenly as the run grows. */
  history: SeriesRow[];
  /** A run with a protocol: every cycle it finished (its per-cycle table), else empty. */
  cycles: CycleRow[];
  scale: ColourScale | null;
  hover: { i: number; j: number; values: CellValues } | null;
}

export const HISTORY_CAP = 400;

/** Appends a row; past the cap, every other row is dropped (the first and the newest stay). */
export function appendBounded(history: readonly SeriesRow[], row: SeriesRow, cap = HISTORY_CAP): SeriesRow[] {
  const next = [...history, row];
  if (next.length <= cap) return next;
  return next.filter((_, k) => k % 2 === 0 || k === next.length - 1);
}

/** `history` with the rows of `rows` that come after its last one, bounded (appendBounded). */
export function mergeRows(history: readonly SeriesRow[], rows: readonly SeriesRow[]): SeriesRow[] {
  let out = history as SeriesRow[];
  for (const r of rows) if (!out.length || r.t_s > out[out.length - 1]!.t_s) out = appendBounded(out, r);
  return out;
}

/** The rows of `history` up to `t_s` (a run resumed from a checkpoint at t_s takes the rest again). */
export const historyUntil = (history: readonly SeriesRow[], t_s: number): SeriesRow[] => history.filter((r) => r.t_s <= t_s + 1e-9);

export const usePage = create<PageState>(() => ({
  scenario: null as unknown as Scenario,
  gridAsked: false,
  running: null as unknown as Scenario,
  layer: "deposit",
  speed: 1,
  status: "starting",
  backend: null,
  banner: null,
  gridWhy: null,
  error: null,
  notice: null,
  step: 0,
  steps: 0,
  t_s: 0,
  stepsPerSecond: 0,
  framesPerSecond: 0,
  latest: null,
  history: [],
  cycles: [],
  scale: null,
  hover: null,
}));

const set = usePage.setState;
const get = usePage.getState;
const idle = { stepsPerSecond: 0, framesPerSecond: 0 };

/** Every change to the page's state, by name. */
export const pageActions = {
  /** The state the address holds, read once before the first render. */
  load(setup: { scenario: Scenario; layer: FieldLayer; speed: number }, notice: string | null, gridAsked = false): void {
    set({ scenario: setup.scenario, running: setup.scenario, layer: setup.layer, speed: setup.speed, notice, gridAsked });
  },
  /** The grid was asked for (the grid control, a scenario file): it runs as asked on every adapter. */
  setGridAsked(gridAsked: boolean): void { set({ gridAsked }); },
  /** The scenario the controls show (the run takes it as apply allows). */
  setScenario(scenario: Scenario): void { set({ scenario }); },
  /** The user picked a layer or a speed: a bad one in the address is mended, so its message goes (as for any act). */
  setLayer(layer: FieldLayer): void { set({ layer }); pageActions.clearAddressNotice(); },
  setSpeed(speed: number): void { set({ speed }); pageActions.clearAddressNotice(); },
  setNotice(notice: string | null): void { set({ notice }); },
  /** Once the user acts, an old message about the address no longer applies. */
  clearAddressNotice(): void { if (isAddressNotice(get().notice)) set({ notice: null }); },
  setBanner(banner: string | null): void { set({ banner }); },
  setGridWhy(gridWhy: string | null): void { set({ gridWhy }); },
  setHover(hover: PageState["hover"]): void { set({ hover }); },

  /** A new run of `running` is being built: its history, time and read-outs start again. */
  runStarting(running: Scenario): void {
    set({ status: "starting", running, history: [], cycles: [], latest: null, step: 0, t_s: 0, error: null, hover: null, ...idle });
  },
  /** A run is being rebuilt after a lost device (its history and time stay). */
  runResuming(): void { set({ status: "starting", error: null }); }, // a failure the loss explained goes
  runBackend(backend: NonNullable<PageState["backend"]>, steps: number): void { set({ backend, steps }); },
  runPaused(): void { set({ status: "paused", ...idle }); },
  runPlaying(): void { set({ status: "running" }); },
  runDone(): void { set({ status: "done", ...idle }); },
  runFailed(error: string): void { set({ status: "error", error }); },
  /**
   * New parameters went to the running backend as `running` (with `steps` steps): a finished run given a longer
   * duration can go on, and says "paused".
   */
  runApplied(running: Scenario, steps: number): void {
    const st = get();
    const goesOn = st.status === "done" && steps > st.step;
    set({ running, steps, ...(goesOn ? { status: "paused" as const } : {}) });
  },
  /** What the run did since the last update: its step and time, the layer's scale, the new samples and the rates. */
  runProgress(p: { step: number; t_s: number; scale: ColourScale; rows: readonly SeriesRow[]; cycles?: CycleRow[]; rates?: { stepsPerSecond: number; framesPerSecond: number } }): void {
    const st = get();
    const history = mergeRows(st.history, p.rows);
    const cycles = p.cycles && p.cycles.length !== st.cycles.length ? p.cycles : st.cycles;
    set({ step: p.step, t_s: p.t_s, scale: p.scale, history, cycles, latest: history.at(-1) ?? st.latest, ...p.rates });
  },
  /** Drops the samples after `t_s` (a run resumed from a checkpoint there takes them again). */
  keepHistoryUntil(t_s: number): void { set({ history: historyUntil(get().history, t_s) }); }, // the cycles come again with the next frame
};

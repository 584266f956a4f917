/**
 * The side-by-side comparison's state (zustand): the coatings of its panes, the status of the lock-step run and
 * each pane's bounded history, and the named actions that change it (compareActions). The comparison controller
 * (sim/compareController.ts) writes it, throttled, and the panel its picks; React reads it.
 */
import { create } from "zustand";
import type { SeriesRow } from "../../model/metrics.ts";
import { getPreset, PRESETS } from "../../model/presets.ts";
import type { Scenario } from "../../model/scenario.ts";
import type { ColourScale, FieldLayer } from "../sim/types.ts";
import { COMPARE_PANES } from "./urlState.ts";
import { historyUntil, mergeRows } from "./pageStore.ts";

export const COMPARE_MIN = COMPARE_PANES.min;
export const COMPARE_MAX = COMPARE_PANES.max;

export type CompareStatus = "idle" | "starting" | "paused" | "running" | "done" | "error";

export interface ComparePane {
  /** The preset id of the pane's coating. */
  preset: string;
  name: string;
  /** Steps done and the simulated time of the frame on screen. */
  step: number;
  t_s: number;
  /** At most HISTORY_CAP rows, thinned like the main run's. */
  history: SeriesRow[];
}

export interface CompareState {
  /** Whether the panel is open (the address then holds the picks). */
  open: boolean;
  /** The coatings picked for the next start (2 to 4 preset ids). */
  picks: string[];
  status: CompareStatus;
  /** The scenarios the panes run (same seed, grid, operation and electrolyte; only the coating differs). */
  scenarios: Scenario[];
  panes: ComparePane[];
  backend: { kind: "gpu" | "cpu"; label: string } | null;
  steps: number;
  layer: FieldLayer;
  speed: number;
  scale: ColourScale | null;
  error: string | null;
  /** A note about the run (the CPU fallback, a lost device), null when none. */
  note: string | null;
}

export const useCompare = create<CompareState>(() => ({
  open: false,
  picks: ["bare", "cof", "znf2"],
  status: "idle",
  scenarios: [],
  panes: [],
  backend: null,
  steps: 0,
  layer: "deposit",
  speed: 1,
  scale: null,
  error: null,
  note: null,
}));

const set = useCompare.setState;
const get = useCompare.getState;

/** Every change to the comparison's state, by name. */
export const compareActions = {
  /** Opens the panel with these picks (an address that holds them). */
  openWith(picks: string[]): void { set({ picks, open: true }); },
  setOpen(open: boolean): void { set({ open }); },
  /** Pane k's coating for the next start. */
  setPick(k: number, id: string): void { set({ picks: get().picks.map((p, q) => (q === k ? id : p)) }); },
  /** Adds a pane with the first coating not picked yet (up to COMPARE_MAX). */
  addPick(): void {
    const { picks } = get();
    const unused = PRESETS.find((p) => !picks.includes(p.id));
    if (unused && picks.length < COMPARE_MAX) set({ picks: [...picks, unused.id] });
  },
  /** Removes pane k (down to COMPARE_MIN). */
  removePick(k: number): void {
    const { picks } = get();
    if (picks.length > COMPARE_MIN) set({ picks: picks.filter((_, q) => q !== k) });
  },
  setSpeed(speed: number): void { set({ speed }); },
  setLayer(layer: FieldLayer): void { set({ layer }); },

  /** A comparison of `scenarios` is being built: one empty pane each. */
  runStarting(scenarios: Scenario[]): void {
    set({
      status: "starting", scenarios, error: null, note: null, backend: null, scale: null,
      panes: scenarios.map((s) => ({ preset: s.coating.preset, name: getPreset(s.coating.preset)?.name ?? s.coating.preset, step: 0, t_s: 0, history: [] })),
    });
  },
  /** The panes run these scenarios instead (the CPU fallback's grid): the panel's widths and captions follow. */
  runScenarios(scenarios: Scenario[]): void { set({ scenarios }); },
  /** The panes are being rebuilt after a lost device (their histories stay). */
  runResuming(): void { set({ status: "starting", error: null }); }, // a failure the loss explained goes
  runBackend(backend: NonNullable<CompareState["backend"]>, steps: number): void { set({ backend, steps }); },
  runPaused(): void { set({ status: "paused" }); },
  runPlaying(): void { set({ status: "running" }); },
  runDone(): void { set({ status: "done" }); },
  runFailed(error: string): void { set({ status: "error", error }); },
  /** Stopped: nothing runs (the picks and the panes' last state stay). */
  runStopped(): void { set({ status: "idle", backend: null }); },
  setNote(note: string | null): void { set({ note }); },
  /** What each pane did since the last update (null: nothing new for that pane), and the shared scale. */
  runProgress(updates: readonly ({ step: number; t_s: number; rows: readonly SeriesRow[] } | null)[], scale: ColourScale | null): void {
    const st = get();
    const panes = st.panes.map((pane, k) => {
      const u = updates[k];
      return u ? { ...pane, step: u.step, t_s: u.t_s, history: mergeRows(pane.history, u.rows) } : pane;
    });
    set({ panes, scale: scale ?? st.scale });
  },
  /** Drops every pane's samples after `t_s` (the panes resumed from a checkpoint there take them again). */
  keepHistoryUntil(t_s: number): void { set({ panes: get().panes.map((p) => ({ ...p, history: historyUntil(p.history, t_s) })) }); },
};

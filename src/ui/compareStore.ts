/**
 * The side-by-side comparison's state (zustand): the coatings of its panes, the status of the lock-step run and
 * each pane's bounded history. The comparison controller (sim/compare.ts) writes it, throttled; React reads it.
 */
import { create } from "zustand";
import type { SeriesRow } from "../model/metrics.ts";
import type { Scenario } from "../model/scenario.ts";
import type { ColourScale, FieldLayer } from "./sim/types.ts";
import { COMPARE_PANES } from "./urlState.ts";

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

/**
 * The page's state (zustand): the scenario the controls edit, the run's status and its bounded history.
 * Data flows one way: controls -> store -> run controller (uniform write) -> backend -> frames -> store -> charts.
 */
import { create } from "zustand";
import type { SeriesRow } from "../model/metrics.ts";
import type { Scenario } from "../model/scenario.ts";
import type { FieldLayer, ColourScale, CellValues } from "./sim/types.ts";

export type RunStatus = "starting" | "paused" | "running" | "done" | "error";

export interface PageState {
  scenario: Scenario;
  /** The scenario the running backend was built with (grid and seed need a restart to change). */
  running: Scenario;
  layer: FieldLayer;
  /** Coupled steps per animation frame. */
  speed: number;
  status: RunStatus;
  backend: { kind: "gpu" | "cpu"; label: string } | null;
  /** A banner for the whole page (e.g. the CPU fallback), null when none. */
  banner: string | null;
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

export const usePage = create<PageState>(() => ({
  scenario: null as unknown as Scenario,
  running: null as unknown as Scenario,
  layer: "deposit",
  speed: 1,
  status: "starting",
  backend: null,
  banner: null,
  error: null,
  notice: null,
  step: 0,
  steps: 0,
  t_s: 0,
  stepsPerSecond: 0,
  framesPerSecond: 0,
  latest: null,
  history: [],
  scale: null,
  hover: null,
}));

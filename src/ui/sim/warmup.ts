/**
 * The grid a hardware GPU runs when nobody asked for one: the finest of a few candidates (the default grid's smaller
 * piece, the default grid, and the same cell in finer cells) that keeps at least WARM_FPS frames per second at the
 * chosen speed, from a short measured warm-up (each candidate's step and drawing timed on the device). A software
 * adapter and the CPU worker take no warm-up: they keep today's choice (runRules.ts runPiece). Pure: no GPU, no DOM.
 */
import type { Scenario } from "../../model/scenario.ts";
import { fmt } from "../text.ts";
import { cellChoices, gridText } from "./gridChoices.ts";
import { CPU_FALLBACK_CELLS, smallerPiece } from "./runRules.ts";

/** The frame rate a chosen grid must keep (frames/s). */
export const WARM_FPS = 30;

/** One candidate's warm-up: the median time of a step and of drawing a frame (the render pass and its readback), ms. */
export interface WarmTiming { stepMs: number; drawMs: number }

/**
 * The candidates of a default-grid scenario `s`, coarse to fine: its smaller piece (the software adapter's grid),
 * `s` itself, then the same cell in finer cells (the run bar's cell choices finer than `s`'s, the schema's grids).
 */
export function warmCandidates(s: Scenario): Scenario[] {
  const finer = cellChoices(s).filter((c) => c.scenario && c.scenario.grid.dx_um < s.grid.dx_um).map((c) => c.scenario!);
  finer.sort((a, b) => b.grid.dx_um - a.grid.dx_um);
  const piece = smallerPiece(s);
  return [...(piece === s ? [] : [piece]), s, ...finer];
}

/** Frames per second of a candidate at `speed` steps a frame. */
export const warmFps = (t: WarmTiming, speed: number): number => 1000 / Math.max(1e-6, speed * t.stepMs + t.drawMs);

/**
 * Which candidate to run: the finest (the highest index) whose measured frame keeps at least `minFps` at `speed`;
 * the coarsest (0) where none does. `timings[k]` is candidate k's warm-up, undefined where it was not measured (the
 * warm-up stops at the first candidate too slow: finer ones are slower still).
 */
export function chooseWarmGrid(timings: readonly (WarmTiming | undefined)[], speed: number, minFps = WARM_FPS): number {
  let best = 0;
  timings.forEach((t, k) => { if (t && warmFps(t, speed) >= minFps) best = k; });
  return best;
}

/** The run bar's words for a grid chosen by the warm-up on the GPU `label`. */
export function warmText(label: string, chosen: Scenario, t: WarmTiming | undefined, speed: number, measured: number): string {
  const g = chosen.grid;
  const rate = t ? `${fmt(warmFps(t, speed), 3)} frames/s (a step ${fmt(t.stepMs, 3)} ms, drawing ${fmt(t.drawMs, 3)} ms)` : "–";
  return `Grid chosen by a warm-up on ${label}: ${gridText(g.nx, g.ny, g.dx_um)}, the finest of ${measured} measured that keeps ` +
    `${WARM_FPS} frames/s at ${speed} step${speed === 1 ? "" : "s"}/frame: ${rate}. Pick another grid to override it.`;
}

/** The run bar's words where a software adapter keeps today's choice: the default grid's smaller piece `run`. */
export function softwareGridWhy(label: string, run: Scenario): string {
  const g = run.grid;
  return `No warm-up on a software adapter (${label}): the default grid runs smaller, ${gridText(g.nx, g.ny, g.dx_um)}.`;
}

/** The run bar's words on the CPU worker. */
export const cpuGridWhy = (run: Scenario): string =>
  `No warm-up on the CPU worker: grids of at most ${CPU_FALLBACK_CELLS} cells, here ${gridText(run.grid.nx, run.grid.ny, run.grid.dx_um)}.`;

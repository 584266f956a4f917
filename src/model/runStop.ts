/**
 * When a run cannot go on: the rule the page, the comparison and the runner apply to each sample. A deposit whose
 * top reaches the last row of cells has crossed the electrolyte to the reservoir (a short circuit in a real cell);
 * past that the model has no electrolyte left in that column, and its fields soon stop being finite.
 */
import { MODEL_CONSTANTS } from "./coefficients.ts";
import type { SeriesRow } from "./metrics.ts";
import type { Scenario } from "./scenario.ts";

/** Thrown by the run loops (runCpu, runGpu) at the first sample from which the run cannot go on. */
export class RunStoppedError extends Error {
  constructor(readonly reason: string, readonly series: SeriesRow[]) {
    super(`the run stopped at t = ${Number((series.at(-1)?.t_s ?? 0).toPrecision(4))} s: ${reason}`);
    this.name = "RunStoppedError";
  }
}

/**
 * Throws RunStoppedError where a resumed run's samples so far already end in a stop (the state file of a run that
 * stopped): it stays stopped there, as the run never interrupted did, instead of going on past it.
 */
export function checkResumedStop(series: SeriesRow[], s: Pick<Scenario, "mode" | "grid">): void {
  const last = series.at(-1);
  const stop = last ? runStopReason(last, s) : null;
  if (stop) throw new RunStoppedError(stop, series);
}

/** Why the run of `s` cannot go on from `row`, or null. */
export function runStopReason(row: SeriesRow, s: Pick<Scenario, "mode" | "grid">): string | null {
  for (const [k, v] of Object.entries(row)) {
    if (!Number.isFinite(v)) return `the solution stopped being finite (${k} = ${v}); nothing after this sample would mean anything`;
  }
  if (s.mode !== "2d") return null;
  const room = (s.grid.ny - MODEL_CONSTANTS.substrate_cells) * s.grid.dx_um;
  if (row.max_height_um >= room - s.grid.dx_um) {
    return `the deposit reached the top of the simulated cell (${Number(row.max_height_um.toPrecision(3))} µm of the ${room} µm above the substrate): ` +
      "a dendrite across the electrolyte, which would short-circuit a real cell. A taller grid (more cells in y), a lower current or a shorter duration keeps the run inside it";
  }
  return null;
}

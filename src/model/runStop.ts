/**
 * When a run cannot go on: the rule the page, the comparison and the runner apply to each sample. A deposit whose
 * top reaches the last row of cells has crossed the electrolyte to the reservoir (a short circuit in a real cell);
 * past that the model has no electrolyte left in that column, and its fields soon stop being finite.
 */
import type { SeriesRow } from "./metrics.ts";
import { substrateUm, type Scenario } from "./scenario.ts";
import type { Coefficients } from "./coefficients.ts";

/** Thrown by the run loops (runCpu, runGpu) at the first sample from which the run cannot go on. */
export class RunStoppedError extends Error {
  constructor(readonly reason: string, readonly series: SeriesRow[]) {
    super(stoppedAt(series.at(-1)?.t_s ?? 0, reason));
    this.name = "RunStoppedError";
  }
}

/** The one line that says where and why a run stopped. */
const stoppedAt = (t_s: number, reason: string) => `the run stopped at t = ${Number(t_s.toPrecision(4))} s: ${reason}`;

/**
 * Where a run whose last sample is `row` stopped, and why (RunStoppedError's message), or null where it could go on:
 * what a sweep's point records, read back from its row alone.
 */
export function rowStopMessage(row: SeriesRow, s: Pick<Scenario, "mode" | "grid" | "substrate_um">): string | null {
  const reason = runStopReason(row, s);
  return reason === null ? null : stoppedAt(row.t_s, reason);
}

/**
 * Throws RunStoppedError where a resumed run's samples so far already end in a stop (the state file of a run that
 * stopped): it stays stopped there, as the run never interrupted did, instead of going on past it.
 */
export function checkResumedStop(series: SeriesRow[], s: Pick<Scenario, "mode" | "grid" | "substrate_um">): void {
  const last = series.at(-1);
  const stop = last ? runStopReason(last, s) : null;
  if (stop) throw new RunStoppedError(stop, series);
}

/** How a run stopped early, as a sweep's CSV records it: its deposit crossed the cell, or its solution stopped being finite. */
export type StopKind = "dendrite" | "not_finite";
export const STOP_KINDS: readonly StopKind[] = ["dendrite", "not_finite"];

/** The height above the substrate from which a 2d run's deposit counts as across the cell (a cell below the top row). */
const room = (s: Pick<Scenario, "grid" | "substrate_um">) => s.grid.ny * s.grid.dx_um - substrateUm(s);

/** Whether the run of `s` cannot go on from `row`, and why, as a kind (runStopReason says it in words). */
export function runStopKind(row: SeriesRow, s: Pick<Scenario, "mode" | "grid" | "substrate_um">): StopKind | null {
  if (Object.values(row).some((v) => !Number.isFinite(v))) return "not_finite";
  if (s.mode === "2d" && row.max_height_um >= room(s) - s.grid.dx_um) return "dendrite";
  return null;
}

/** Why the run of `s` cannot go on from `row`, or null. */
export function runStopReason(row: SeriesRow, s: Pick<Scenario, "mode" | "grid" | "substrate_um">): string | null {
  const kind = runStopKind(row, s);
  if (kind === "not_finite") {
    const [k, v] = Object.entries(row).find(([, x]) => !Number.isFinite(x))!;
    return `the solution stopped being finite (${k} = ${v}); nothing after this sample would mean anything`;
  }
  if (kind === "dendrite") {
    return `the deposit reached the top of the simulated cell (${Number(row.max_height_um.toPrecision(3))} µm of the ${room(s)} µm above the substrate): ` +
      "a dendrite across the electrolyte, which would short-circuit a real cell. A taller grid (more cells in y), a lower current or a shorter duration keeps the run inside it";
  }
  return null;
}

/** The rows above the cell's bottom that foilStopReason reads (0 where there is no zinc foil to strip through). */
export function foilRows(co: Pick<Coefficients, "mode" | "substrate" | "ell">): number {
  return co.mode !== "2d" || co.substrate === "cu" ? 0 : Math.ceil(2 * co.ell);
}

/**
 * Where a zinc electrode's foil is stripped through (some column keeps less than 2 interface half-widths of metal
 * above the cell's bottom: the diffuse interface cannot hold it, and capillarity would dissolve it as current), why
 * a protocol run stops; else null. Copper does not strip. `xi`: rows of nx, row 0 at the bottom: the whole field,
 * or only its lowest foilRows(co) rows (all the check reads: the GPU reads back just those).
 */
export function foilStopReason(xi: ArrayLike<number>, co: Pick<Coefficients, "mode" | "substrate" | "ell" | "nx" | "ny" | "dx" | "substrateCells">): string | null {
  const need = foilRows(co);
  if (need === 0) return null;
  const { nx } = co;
  const ny = Math.min(co.ny, Math.floor(xi.length / nx));
  const um = (cells: number) => (cells * co.dx * 1e6).toFixed(1);
  for (let i = 0; i < nx; i++) {
    let j = 0;
    while (j < ny && xi[j * nx + i]! >= 0.5) j++;
    if (j < need) {
      return `the zinc foil is stripped through at x = ${um(i + 0.5)} um (under ${um(2 * co.ell)} um of metal left there): give the scenario a thicker substrate_um (now ${um(co.substrateCells)} um)`;
    }
  }
  return null;
}

/**
 * The in-app sweep kept in the browser's storage while it runs, so that a reload, a closed tab or a crashed page
 * loses none of its points: the sweep (as the runner's sweep file has it) and the rows done. Read back through the
 * model's own validation (parseSweep) and checked row by row; anything else is discarded with the reason.
 */
import { seriesRowOf, type SeriesRow } from "../model/metrics.ts";
import { parseSweep, sweepFile, sweepPoints, type Sweep } from "../model/sweep.ts";

const KEY = "zil.sweep.v1";

export interface SavedSweep {
  sweep: Sweep;
  /** rows[i]: point i's row; fewer than the sweep's points. */
  rows: SeriesRow[];
}

/** Storage may be missing or full (private windows, quotas): the sweep runs on, only unsaved. */
function storage(): Storage | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
}

export function saveSweep(s: SavedSweep): void {
  try {
    storage()?.setItem(KEY, JSON.stringify({ sweep: sweepFile(s.sweep), rows: s.rows }));
  } catch {
    // full or refused: nothing to do
  }
}

export function clearSweep(): void {
  try {
    storage()?.removeItem(KEY);
  } catch {
    // refused: nothing to do
  }
}

/** The unfinished sweep saved by an earlier visit, null where there is none, or why the saved one was discarded. */
export function loadSweep(): SavedSweep | { error: string } | null {
  let text: string | null;
  try {
    text = storage()?.getItem(KEY) ?? null;
  } catch {
    return null;
  }
  if (text === null) return null;
  const fail = (error: string) => {
    clearSweep();
    return { error };
  };
  try {
    const raw = JSON.parse(text) as { sweep?: unknown; rows?: unknown };
    const sweep = parseSweep(raw.sweep);
    const total = sweepPoints(sweep).length;
    if (!Array.isArray(raw.rows)) return fail("its rows are not a list");
    if (raw.rows.length === 0 || raw.rows.length >= total) return fail(`it holds ${raw.rows.length} of ${total} points, nothing to resume`);
    const rows = raw.rows.map((r: unknown, i: number) => seriesRowOf(r, `row ${i + 1}`));
    return { sweep, rows };
  } catch (e) {
    return fail(e instanceof Error ? e.message : String(e));
  }
}

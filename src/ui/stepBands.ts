/**
 * The plate / strip / rest bands behind the electrode-potential chart of a protocol run, from its samples' `cycle` and
 * `step` fields (model/cycleLog.ts protocolRow). A sample's step is where the protocol stands after its last time
 * step, so the time up to a sample belongs to the step of the sample before it (the first: cycle 1, step 1); a step
 * that changes between two samples shows from the sample after which it runs. Pure: no React, no physics.
 */
import type { SeriesRow } from "../model/metrics.ts";
import type { ProtocolStep, StepKind } from "../model/protocol.ts";

export interface StepBand { kind: StepKind; x1: number; x2: number }

/** Bands over the rows' time axis (s); none where the rows carry no step or there is no protocol. */
export function stepBands(rows: readonly SeriesRow[], protocol: readonly ProtocolStep[] | undefined): StepBand[] {
  if (!protocol?.length || !rows.length) return [];
  const bands: StepBand[] = [];
  let at = { cycle: 1, step: 1 }, t0 = 0;
  let open: (StepBand & { key: string }) | null = null;
  for (const row of rows) {
    const r = row as SeriesRow & { cycle?: number; step?: number };
    if (typeof r.step !== "number" || typeof r.cycle !== "number") return [];
    const kind = protocol[at.step - 1]?.step;
    const key = `${at.cycle}:${at.step}`;
    if (kind) {
      if (open && open.key === key) open.x2 = r.t_s;
      else { open = { kind, x1: t0, x2: r.t_s, key }; bands.push(open); }
    }
    at = { cycle: r.cycle, step: r.step };
    t0 = r.t_s;
  }
  return bands.map(({ kind, x1, x2 }) => ({ kind, x1, x2 }));
}

/**
 * The bands' fills: light blue plating, light orange stripping, light grey at rest, light purple for a sweep (which
 * the app refuses for now: appRefusal), each named in the chart's key.
 */
export const BAND_FILL: Record<StepKind, { fill: string; word: string; name: string }> = {
  plate: { fill: "#9cc3ea", word: "blue", name: "plating" },
  strip: { fill: "#f2b78f", word: "orange", name: "stripping" },
  rest: { fill: "#c8ccd2", word: "grey", name: "rest" },
  sweep: { fill: "#cdb8e6", word: "purple", name: "potential sweep" },
};

/**
 * Where a protocol run stands at `row` (its cycle, and its step by name), for a clip's caption: "cycle 2, stripping";
 * null where the row carries no step or there is no protocol.
 */
export function stepCaption(row: SeriesRow | null, protocol: readonly ProtocolStep[] | undefined): string | null {
  const r = row as (SeriesRow & { cycle?: number; step?: number }) | null;
  const kind = r && typeof r.cycle === "number" && typeof r.step === "number" ? protocol?.[r.step - 1]?.step : undefined;
  return kind ? `cycle ${r!.cycle}, ${BAND_FILL[kind].name}` : null;
}

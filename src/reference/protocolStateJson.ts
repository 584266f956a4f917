/**
 * A protocol run's state as JSON and back (the runner's --checkpoint file of a protocol run): the run state of
 * checkpointJson.ts (scenario, samples, solver state) plus the protocol's clock and the per-cycle table so far.
 * Reading checks every number, naming the first that is wrong.
 */
import { CYCLE_FIELDS, REST_FIELDS, type CycleLogState, type CycleRow } from "../model/cycleLog.ts";
import { CORROSION_FIELDS, PROTOCOL_FIELDS, seriesRowOf, type ProtocolRow } from "../model/metrics.ts";
import type { ClockState } from "../model/protocolClock.ts";
import type { Scenario } from "../model/scenario.ts";
import { runStateFromJson, runStateToJson } from "./checkpointJson.ts";
import type { ProtocolRunState } from "./protocolRun.ts";

export function protocolStateToJson(scenario: Scenario, st: ProtocolRunState): string {
  const base = JSON.parse(runStateToJson({ scenario, series: st.series, checkpoint: st.checkpoint })) as Record<string, unknown>;
  return JSON.stringify({ ...base, protocol: { clock: st.clock, log: st.log } });
}

const finite = (v: unknown, what: string): number => {
  if (typeof v !== "number" || !Number.isFinite(v)) throw new Error(`checkpoint: ${what} must be a finite number`);
  return v;
};

const numbers = (v: unknown, what: string): number[] => {
  if (!Array.isArray(v)) throw new Error(`checkpoint: ${what} must be a list of numbers`);
  return v.map((x, k) => finite(x, `${what}[${k}]`));
};

function clockOf(raw: unknown): ClockState {
  const r = (raw ?? {}) as Record<string, unknown>;
  const k = finite(r.k, "protocol.clock.k");
  if (!Number.isInteger(k) || k < 0) throw new Error("checkpoint: protocol.clock.k must be a whole number >= 0");
  return { k, stepTime_s: finite(r.stepTime_s, "protocol.clock.stepTime_s"), stepCharge_C_m2: finite(r.stepCharge_C_m2, "protocol.clock.stepCharge_C_m2"), charge_C_m2: finite(r.charge_C_m2, "protocol.clock.charge_C_m2") };
}

function logOf(raw: unknown): CycleLogState {
  const r = (raw ?? {}) as Record<string, unknown>;
  if (!Array.isArray(r.rows)) throw new Error("checkpoint: protocol.log.rows must be a list of cycles");
  const rows = r.rows.map((row: unknown, c: number) => {
    const o = (row ?? {}) as Record<string, unknown>;
    // The rest figures came later: a state written before them has none (0: no rest).
    const rest = Object.fromEntries(REST_FIELDS.map((f) => [f, o[f] === undefined ? 0 : finite(o[f], `protocol.log.rows[${c}].${f}`)]));
    return { ...Object.fromEntries(CYCLE_FIELDS.map((f) => [f, finite(o[f], `protocol.log.rows[${c}].${f}`)])), ...rest } as CycleRow;
  });
  const n = (k: string) => finite(r[k], `protocol.log.${k}`);
  const n0 = (k: string) => (r[k] === undefined ? 0 : n(k));
  return {
    rows, cycle: n("cycle"), plated: n("plated"), stripped: n("stripped"), her: n("her"), plateE: n("plateE"), plateT: n("plateT"),
    stripE: n("stripE"), stripT: n("stripT"), deadStart: n("deadStart"), maxHeight: n("maxHeight"), cutoff: n("cutoff"),
    nucT: numbers(r.nucT, "protocol.log.nucT"), nucE: numbers(r.nucE, "protocol.log.nucE"), nucDone: n("nucDone"), nucleation: n("nucleation"),
    restT: n0("restT"), restZn: n0("restZn"), restH: n0("restH"), restE: n0("restE"), znLost: n0("znLost"), iCorr: n0("iCorr"),
  };
}

/** Reads a protocol run's state; throws, naming the first thing that is missing or wrong. */
export function protocolStateFromJson(text: string): { scenario: Scenario; state: ProtocolRunState } {
  const base = runStateFromJson(text);
  const raw = JSON.parse(text) as Record<string, unknown>;
  const p = raw.protocol as Record<string, unknown> | undefined;
  if (!p || typeof p !== "object") throw new Error("checkpoint: holds no protocol state (a run without a protocol)");
  const series = (raw.series as unknown[]).map((row, i): ProtocolRow => {
    const o = (row ?? {}) as Record<string, unknown>;
    const present = CORROSION_FIELDS.filter((f) => o[f] !== undefined);
    const extra = Object.fromEntries([...PROTOCOL_FIELDS, ...present].map((f) => [f, finite(o[f], `sample ${i + 1}'s ${f}`)]));
    return { ...seriesRowOf(row, `checkpoint: sample ${i + 1}`), ...extra } as ProtocolRow;
  });
  return { scenario: base.scenario, state: { series, checkpoint: base.checkpoint, clock: clockOf(p.clock), log: logOf(p.log) } };
}

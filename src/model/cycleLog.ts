/**
 * The per-cycle table of a protocol run (`--cycles-csv`; docs/MODEL.md, "Protocols"): what each cycle plated and
 * stripped, its Coulombic efficiency, dead zinc, hydrogen, overpotentials and hysteresis, the nucleation dip and the
 * deposit's height. Fed time step by time step by a run (any backend); pure, its state plain numbers.
 */
import { FARADAY, N_ZN, ZN_MOLAR_VOLUME } from "./constants.ts";
import { MAH_CM2, type RunStep } from "./protocol.ts";
import type { CorrosionField, CycleFigure, ProtocolRow, SeriesRow } from "./metrics.ts";
import type { ProtocolClock } from "./protocolClock.ts";

export const CYCLE_FIELDS = [
  "cycle", "plated_mAh_cm2", "stripped_mAh_cm2", "ce", "ce_zn", "dead_zn_mAh_cm2", "h2_mmol_cm2",
  "plate_overpotential_mV", "strip_overpotential_mV", "hysteresis_mV", "nucleation_overpotential_mV", "max_height_um",
  "strip_cutoff", "short",
] as const;
/** The cycle's rest (open-circuit) figures: in its row always, in the CSV where a cycle rested (cyclesToCsv). */
export const REST_FIELDS = ["rest_s", "e_mix_mV", "corrosion_uA_cm2", "zn_lost_mAh_cm2", "zn_lost_um", "rest_h2_mmol_cm2"] as const;
export type CycleField = (typeof CYCLE_FIELDS)[number] | (typeof REST_FIELDS)[number];
export type CycleRow = Record<CycleField, number>;

export const CYCLE_META: Record<CycleField, string> = {
  cycle: "Cycle number (from 1).",
  plated_mAh_cm2: "Charge passed in the cycle's plate steps (the cycler's count).",
  stripped_mAh_cm2: "Charge passed in its strip steps.",
  ce: "Coulombic efficiency as a cycler reports it: stripped / plated charge (1 where a strip of the same capacity ran to its end).",
  ce_zn: "Share of the plated charge still usable zinc: 1 - (hydrogen charge of the cycle + dead zinc formed in it) / plated.",
  dead_zn_mAh_cm2: "Dead zinc at the end of the cycle (metal cut off from the substrate).",
  h2_mmol_cm2: "Hydrogen evolved during the cycle.",
  plate_overpotential_mV: "Mean of -E over the plate steps (time-weighted).",
  strip_overpotential_mV: "Mean of E over the strip steps.",
  hysteresis_mV: "Mean stripping minus mean plating electrode potential.",
  nucleation_overpotential_mV: "The dip at the start of the cycle's first plate step: its plateau (mean E over its second half) minus its lowest E in its first quarter; 0 or less: no dip.",
  max_height_um: "Highest point of the deposit at the end of the cycle's last plate step.",
  strip_cutoff: "1 where a strip step ended at its voltage limit (its zinc ran out), else 0.",
  short: "1 where the deposit reached the top of the cell in this cycle (the run stops there).",
  rest_s: "Time at open circuit in the cycle.",
  e_mix_mV: "The mixed potential: E at the end of the cycle's last rest step (mV vs Zn), where zinc dissolution balances HER.",
  corrosion_uA_cm2: "Corrosion current: zinc dissolved at rest / time at rest (a weight-loss measurement's; = the mean HER current at rest).",
  zn_lost_mAh_cm2: "Zinc dissolved at open circuit in the cycle.",
  zn_lost_um: "The same as a thickness of zinc metal.",
  rest_h2_mmol_cm2: "Hydrogen evolved at open circuit in the cycle.",
};

/** Zinc charge (C/m2) as a thickness of metal (um). */
export const znChargeToUm = (q_C_m2: number): number => ((q_C_m2 / (N_ZN * FARADAY)) * ZN_MOLAR_VOLUME) * 1e6;
/** C/m2 of H2 charge to mmol/cm2 of H2; A/m2 to uA/cm2. */
const h2Mmol = (q_C_m2: number): number => (q_C_m2 / (2 * FARADAY)) * 0.1;
const UA_CM2 = 100;

/** The accumulators of the cycle in progress and the rows of those done. */
export interface CycleLogState {
  rows: CycleRow[];
  cycle: number;
  plated: number; stripped: number; her: number; // C/m2
  plateE: number; plateT: number; stripE: number; stripT: number; // V s, s
  deadStart: number; // C/m2
  maxHeight: number;
  cutoff: number;
  /** The first plate step's (t, E) samples, for the nucleation dip. */
  nucT: number[]; nucE: number[]; nucDone: number;
  nucleation: number;
  /** At rest in this cycle: time (s), zinc dissolved and HER charge (C/m2), E at its last step (V). */
  restT: number; restZn: number; restH: number; restE: number;
  /** Zinc dissolved at rest since the start (C/m2) and the last rest step's dissolution current (A/m2, 0 outside rest). */
  znLost: number; iCorr: number;
}

const fresh = (cycle: number, deadStart: number, rows: CycleRow[] = [], znLost = 0, iCorr = 0): CycleLogState => ({
  rows, cycle, plated: 0, stripped: 0, her: 0, plateE: 0, plateT: 0, stripE: 0, stripT: 0, deadStart, maxHeight: 0,
  cutoff: 0, nucT: [], nucE: [], nucDone: 0, nucleation: 0, restT: 0, restZn: 0, restH: 0, restE: 0, znLost, iCorr,
});

export class CycleLog {
  state: CycleLogState = fresh(0, 0);

  get rows(): readonly CycleRow[] {
    return this.state.rows;
  }

  /**
   * A time step of `step`: dt (s), the current the electrode passed (A/m2, + cathodic: Zn plus HER; the applied one
   * unless cells ran out of zinc), E (V) at its end and its HER current (A/m2).
   */
  record(step: RunStep, dt: number, passed: number, E_V: number, iH: number): void {
    const s = this.state;
    s.her += iH * dt;
    s.iCorr = 0;
    if (step.kind === "rest") {
      // Open circuit: the zinc current (passed - HER) is the dissolution that feeds HER, whatever passed's rounding.
      s.iCorr = iH - passed;
      s.restT += dt;
      s.restZn += s.iCorr * dt;
      s.restH += iH * dt;
      s.restE = E_V;
      s.znLost += s.iCorr * dt;
    } else if (step.kind === "plate") {
      s.plated += passed * dt;
      s.plateE += E_V * dt;
      s.plateT += dt;
      if (!s.nucDone) { s.nucT.push((s.nucT.at(-1) ?? 0) + dt); s.nucE.push(E_V); }
    } else if (step.kind === "strip") {
      s.stripped += -passed * dt;
      s.stripE += E_V * dt;
      s.stripT += dt;
    }
  }

  /** The step ended (`why`); `maxHeight_um` is the deposit's highest point now. */
  stepEnded(step: RunStep, why: string, maxHeight_um: number): void {
    const s = this.state;
    if (step.kind === "plate") {
      s.maxHeight = maxHeight_um;
      if (!s.nucDone) { s.nucleation = nucleationDip(s.nucT, s.nucE); s.nucDone = 1; s.nucT = []; s.nucE = []; }
    }
    if (step.kind === "strip" && why === "voltage") s.cutoff = 1;
  }

  /** The cycle's share of plated charge still usable zinc so far (ce_zn of the cycle up to now; 1 before it plates). */
  runningCe(dead: number): number {
    const s = this.state;
    return s.plated > 0 ? Math.max(0, Math.min(1, 1 - (s.her + Math.max(0, dead - s.deadStart)) / s.plated)) : 1;
  }

  /** The cycle ended with `dead` (C/m2) dead zinc; `short`: the deposit reached the top. Returns its row. */
  cycleEnded(dead: number, short: boolean): CycleRow {
    const s = this.state;
    const row: CycleRow = {
      cycle: s.cycle + 1,
      plated_mAh_cm2: s.plated / MAH_CM2,
      stripped_mAh_cm2: s.stripped / MAH_CM2,
      ce: s.plated > 0 ? s.stripped / s.plated : 1,
      ce_zn: s.plated > 0 ? 1 - (s.her + Math.max(0, dead - s.deadStart)) / s.plated : 1,
      dead_zn_mAh_cm2: dead / MAH_CM2,
      h2_mmol_cm2: h2Mmol(s.her),
      plate_overpotential_mV: s.plateT > 0 ? (-s.plateE / s.plateT) * 1e3 : 0,
      strip_overpotential_mV: s.stripT > 0 ? (s.stripE / s.stripT) * 1e3 : 0,
      hysteresis_mV: s.plateT > 0 && s.stripT > 0 ? (s.stripE / s.stripT - s.plateE / s.plateT) * 1e3 : 0,
      nucleation_overpotential_mV: s.nucleation * 1e3,
      max_height_um: s.maxHeight,
      strip_cutoff: s.cutoff,
      short: short ? 1 : 0,
      rest_s: s.restT,
      e_mix_mV: s.restE * 1e3,
      corrosion_uA_cm2: s.restT > 0 ? (s.restZn / s.restT) * UA_CM2 : 0,
      zn_lost_mAh_cm2: s.restZn / MAH_CM2,
      zn_lost_um: znChargeToUm(s.restZn),
      rest_h2_mmol_cm2: h2Mmol(s.restH),
    };
    this.state = fresh(s.cycle + 1, dead, [...s.rows, row], s.znLost, s.iCorr);
    return row;
  }
}

/** The nucleation dip (V) of a plate step's (t, E): its plateau (mean E over the second half) minus its lowest E in the first quarter. */
export function nucleationDip(t: readonly number[], E: readonly number[]): number {
  const T = t.at(-1) ?? 0;
  if (!(T > 0)) return 0;
  let min = Infinity, sum = 0, n = 0;
  for (let k = 0; k < t.length; k++) {
    if (t[k]! <= 0.25 * T) min = Math.min(min, E[k]!);
    if (t[k]! >= 0.5 * T) { sum += E[k]!; n++; }
  }
  return Number.isFinite(min) && n > 0 ? sum / n - min : 0;
}

/** The table as CSV: a header of the field names (units in the names), one row per cycle; the rest figures where a cycle rested. */
export function cyclesToCsv(rows: readonly CycleRow[]): string {
  const fields: readonly CycleField[] = rows.some((r) => r.rest_s > 0) ? [...CYCLE_FIELDS, ...REST_FIELDS] : CYCLE_FIELDS;
  return [fields.join(","), ...rows.map((r) => fields.map((k) => String(r[k])).join(","))].join("\n") + "\n";
}

/** The figures a sweep records of a protocol run's cycle table (metrics.ts CYCLE_FIGURES). */
export function cycleFigures(rows: readonly CycleRow[]): Record<CycleFigure, number> {
  const mean = (k: CycleField) => (rows.length ? rows.reduce((a, r) => a + r[k], 0) / rows.length : 0);
  return { cycles_done: rows.length, mean_ce: mean("ce"), mean_ce_zn: mean("ce_zn"), short_cycle: rows.find((r) => r.short)?.cycle ?? 0 };
}

/**
 * A protocol run's sample row (either backend): the metrics and where the protocol stands, dead zinc (C/m2) and the
 * applied current of the last time step (A/m2). Its ce is the cycle's so far (CycleRow.ce_zn up to now; once done,
 * the last cycle's), as a run's since its start means nothing once it strips. Once done, the last step's cycle and
 * step, not the one past the end.
 */
export function protocolRow(metrics: SeriesRow, dead: number, clock: ProtocolClock, log: CycleLog, applied: number): ProtocolRow {
  const st = clock.step;
  // A protocol with open circuit or a sweep adds the corrosion columns (metrics.ts CORROSION_FIELDS).
  const corrosion: Partial<Record<CorrosionField, number>> = clock.perCycle.some((k) => k.kind === "rest" || k.kind === "sweep")
    ? { corrosion_uA_cm2: log.state.iCorr * UA_CM2, zn_lost_mAh_cm2: log.state.znLost / MAH_CM2, zn_lost_um: znChargeToUm(log.state.znLost) }
    : {};
  return {
    ...metrics,
    ce: clock.done && log.rows.length ? log.rows.at(-1)!.ce_zn : log.runningCe(dead),
    cycle: st.cycle + 1,
    step: st.index + 1,
    current_mA_cm2: applied * 0.1,
    charge_mAh_cm2: clock.state.charge_C_m2 / MAH_CM2,
    dead_zn_mAh_cm2: dead / MAH_CM2,
    ...corrosion,
  };
}

/**
 * Where a protocol run stands: which step of which cycle, how long it has run and how much charge it has passed, and
 * the current of the next time step. Pure and backend-free: a run asks it for each step's current and tells it what
 * the step did; the clock moves on at the first limit reached. Its state is plain numbers (a checkpoint keeps it).
 */
import { cycleSteps, type RunStep } from "./protocol.ts";
import type { Scenario } from "./scenario.ts";

/** Why a step ended. */
export type StepEnd = "time" | "capacity" | "voltage";

export interface ClockState {
  /** The step now, counted over all cycles from 0 (cycles x steps a cycle once done). */
  k: number;
  stepTime_s: number;
  /** Applied charge of the step so far (C/m2, magnitude). */
  stepCharge_C_m2: number;
  /** Applied charge since the start (C/m2, + plating, - stripping). */
  charge_C_m2: number;
}

/** A fraction of a time step below which a limit counts as reached (rounding of the sums). */
const REACHED = 1e-9;

export class ProtocolClock {
  readonly perCycle: Omit<RunStep, "cycle">[];
  readonly cycles: number;
  state: ClockState = { k: 0, stepTime_s: 0, stepCharge_C_m2: 0, charge_C_m2: 0 };

  constructor(s: Pick<Scenario, "protocol" | "cycles" | "current_mA_cm2" | "duration_s">) {
    // Without a protocol: one plating step of the scenario's current for its duration.
    const protocol = s.protocol ?? [{ step: "plate" as const, current_mA_cm2: s.current_mA_cm2, until: { time_s: s.duration_s } }];
    this.perCycle = cycleSteps(protocol, s.current_mA_cm2);
    this.cycles = s.protocol ? (s.cycles ?? 1) : 1;
  }

  get done(): boolean {
    return this.state.k >= this.cycles * this.perCycle.length;
  }

  /** The step now (the last one once done). */
  get step(): RunStep {
    const n = this.perCycle.length;
    const k = Math.min(this.state.k, this.cycles * n - 1);
    return { ...this.perCycle[k % n]!, cycle: Math.floor(k / n) };
  }

  /**
   * The applied current (A/m2, signed) of the next time step of dt: the step's, scaled down in its last time step
   * so that a time or capacity limit is met exactly (the same charge as a part of a step at full current).
   */
  current(dt: number): number {
    if (this.done) return 0;
    const st = this.step;
    const i = st.current_A_m2;
    if (i === 0) return 0;
    let share = 1;
    const tLeft = st.time_s - this.state.stepTime_s;
    if (tLeft < dt) share = Math.min(share, Math.max(0, tLeft / dt));
    const qLeft = st.charge_C_m2 - this.state.stepCharge_C_m2;
    if (qLeft < Math.abs(i) * dt) share = Math.min(share, Math.max(0, qLeft / (Math.abs(i) * dt)));
    return i * share;
  }

  /**
   * The electrode potential (V) a sweep step imposes at the end of the next time step of dt (held at its end value
   * where the step's last time step runs past it), or null where the step is galvanostatic.
   */
  potential(dt: number): number | null {
    if (this.done) return null;
    const st = this.step;
    if (!st.sweep) return null;
    return st.sweep.from_V + st.sweep.rate_V_s * Math.min(st.time_s, this.state.stepTime_s + dt);
  }

  /**
   * A time step of dt at applied current `applied` (A/m2, what current() gave) ended with the electrode at E_V:
   * moves on where a limit is reached; returns the step that ended and why, or null.
   */
  advance(dt: number, applied: number, E_V: number): { ended: RunStep; why: StepEnd } | null {
    if (this.done) return null;
    const st = this.step;
    const s = this.state;
    s.stepTime_s += dt;
    s.stepCharge_C_m2 += Math.abs(applied) * dt;
    s.charge_C_m2 += applied * dt;
    let why: StepEnd | null = null;
    if (s.stepTime_s >= st.time_s - REACHED * dt) why = "time";
    else if (Number.isFinite(st.charge_C_m2) && s.stepCharge_C_m2 >= st.charge_C_m2 - REACHED * Math.abs(st.current_A_m2) * dt) why = "capacity";
    else if (pastVoltage(st, E_V)) why = "voltage";
    if (why === null) return null;
    s.k++;
    s.stepTime_s = 0;
    s.stepCharge_C_m2 = 0;
    return { ended: st, why };
  }
}

/** Whether E_V (V) is at or past a step's voltage limit: below it while plating, above it otherwise; false without one. */
export function pastVoltage(st: Pick<RunStep, "kind" | "voltage_V">, E_V: number): boolean {
  return st.voltage_V !== null && (st.kind === "plate" ? E_V <= st.voltage_V : E_V >= st.voltage_V);
}

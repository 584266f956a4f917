/**
 * The loop of a protocol run without its backend (docs/MODEL.md, "Protocols"): which current the next batch of time
 * steps takes and how many of them share it, what each step did (the clock moves on, the cycle table records), when
 * a sample is due and its row. The CPU runner (reference/protocolRun.ts), the GPU runner (engine/protocol-gpu.ts)
 * and the page's two backends (ui/sim/gpuBackend.ts, ui/sim/cpuCore.ts) all step through this one driver. Pure:
 * its state is plain numbers, so a checkpoint can carry it.
 */
import { CycleLog, protocolRow, type CycleLogState, type CycleRow } from "./cycleLog.ts";
import type { ProtocolRow, SeriesRow } from "./metrics.ts";
import { pastVoltage, ProtocolClock, type ClockState } from "./protocolClock.ts";
import type { Scenario } from "./scenario.ts";

/** Everything the driver keeps between steps: the clock, the cycle table and the steps since the last sample. */
export interface DriverState {
  clock: ClockState;
  log: CycleLogState;
  sinceSample: number;
}

/** What the backend read at the end of a batch: the metrics (the max height of a step that ended) and dead zinc (C/m2). */
export interface BatchEnd {
  metrics: () => SeriesRow;
  dead: () => number;
}

export class ProtocolDriver {
  readonly clock: ProtocolClock;
  readonly log = new CycleLog();
  /** A second clock, to look ahead for the length of a batch. */
  private readonly probe: ProtocolClock;
  sinceSample = 0;
  /** The applied current (A/m2) of the last batch planned. */
  applied = 0;

  constructor(s: Pick<Scenario, "protocol" | "cycles" | "current_mA_cm2" | "duration_s">, readonly dt: number, readonly stepsPerSample: number) {
    this.clock = new ProtocolClock(s);
    this.probe = new ProtocolClock(s);
  }

  get done(): boolean {
    return this.clock.done;
  }

  get cycles(): readonly CycleRow[] {
    return this.log.rows;
  }

  /**
   * The next batch: its applied current (A/m2, signed) and its length, at most `limit` steps, not past the next
   * sample, and up to and including the step where the protocol's step ends by time or capacity (a scaled last time
   * step is a batch of its own). A voltage limit, which E shows only once the steps are run, does not cut it: a
   * backend that runs past the limit takes its steps back to the one that reached it (crossing).
   */
  plan(limit: number): { applied: number; n: number } {
    const dt = this.dt;
    const applied = this.clock.current(dt);
    const cap = Math.min(limit, this.stepsPerSample - this.sinceSample);
    this.probe.state = { ...this.clock.state };
    let n = 0;
    while (n < cap) {
      n++;
      if (this.probe.advance(dt, applied, NaN) || this.probe.current(dt) !== applied) break;
    }
    this.applied = applied;
    return { applied, n: Math.max(1, n) };
  }

  /**
   * The first of `n` steps just run at the planned current (`log` as took's, not yet taken) whose electrode potential is
   * at or past the protocol step's voltage limit, or -1: where a backend that ran past it takes its steps back, the
   * step ends where the CPU's does (the batch never crosses the step's end by time or capacity before its last step).
   */
  crossing(n: number, log: ArrayLike<number>, fNRT: number): number {
    if (!this.voltageLimited) return -1;
    for (let k = 0; k < n; k++) if (pastVoltage(this.clock.step, log[3 * k]! / fNRT)) return k;
    return -1;
  }

  /** Whether the protocol's step now is galvanostatic with a voltage limit (what crossing looks for). */
  get voltageLimited(): boolean {
    const st = this.clock.step;
    return !this.clock.done && st.voltage_V !== null && !st.sweep;
  }

  /**
   * The batch of `n` steps at the planned current is taken: `log` holds per step u = f E (the scaled electrode
   * potential), the Zn and the HER current (A/m2), `fNRT` scales u back to volts. Returns the sample row where one
   * is due (every stepsPerSample steps, and where the protocol ends), else null.
   */
  took(n: number, log: ArrayLike<number>, fNRT: number, end: BatchEnd): ProtocolRow | null {
    const { clock, dt } = this;
    const perCycle = clock.perCycle.length;
    let dead: number | undefined;
    const deadNow = () => (dead ??= end.dead());
    for (let k = 0; k < n; k++) {
      const st = clock.step;
      const E = log[3 * k]! / fNRT;
      const iZn = log[3 * k + 1]!, iH = log[3 * k + 2]!;
      // The charge the electrode passed: the applied one, less what cells that ran out of zinc could not give.
      this.log.record(st, dt, iZn + iH, E, iH);
      // Under a sweep's potential control the current is the output: the step's charge and the row take it.
      if (st.sweep) this.applied = iZn + iH;
      // E counts for a voltage limit only where it was read back: at the batch's end.
      const ended = clock.advance(dt, this.applied, k === n - 1 ? E : NaN);
      if (!ended) continue;
      if (k !== n - 1) throw new Error(`protocol: step ${st.index + 1} of cycle ${st.cycle + 1} ended inside a batch (${k + 1} of ${n})`);
      this.log.stepEnded(ended.ended, ended.why, end.metrics().max_height_um);
      if (ended.ended.index === perCycle - 1) this.log.cycleEnded(deadNow(), false);
    }
    this.sinceSample += n;
    if (this.sinceSample < this.stepsPerSample && !clock.done) return null;
    this.sinceSample = 0;
    return protocolRow(end.metrics(), deadNow(), clock, this.log, this.applied);
  }

  /** The run stops here (a short, a foil used up): the cycle in progress ends, short. Returns every cycle's row. */
  stopped(dead: number): CycleRow[] {
    this.log.cycleEnded(dead, true);
    return [...this.log.rows];
  }

  get state(): DriverState {
    return { clock: { ...this.clock.state }, log: structuredClone(this.log.state), sinceSample: this.sinceSample };
  }

  /**
   * Continues from the protocol state a run's checkpoint carries (the page's backends after a lost device); throws
   * where it carries none, as a checkpoint of a run without a protocol, or where it does not fit (the setter below).
   */
  resume(st: DriverState | undefined): void {
    if (!st) throw new Error("this checkpoint holds no protocol state (its clock and cycle table), so the protocol run cannot resume from it");
    this.state = st;
  }

  /** Continues from a state taken of a driver of the same protocol; throws, naming what does not fit. */
  set state(st: DriverState) {
    const total = this.clock.cycles * this.clock.perCycle.length;
    const k = st?.clock?.k;
    if (!Number.isInteger(k) || k < 0 || k > total) throw new Error(`the protocol's clock is at step ${k}; the protocol has ${total} steps`);
    const nums = [st.clock.stepTime_s, st.clock.stepCharge_C_m2, st.clock.charge_C_m2, st.sinceSample];
    if (!nums.every(Number.isFinite)) throw new Error("the protocol's clock holds a value that is not a finite number");
    if (!Number.isInteger(st.sinceSample) || st.sinceSample < 0 || st.sinceSample >= this.stepsPerSample) throw new Error(`the protocol's state is ${st.sinceSample} steps past a sample; samples come every ${this.stepsPerSample}`);
    this.clock.state = { ...st.clock };
    this.log.state = structuredClone(st.log);
    this.sinceSample = st.sinceSample;
  }
}

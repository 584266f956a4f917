/**
 * The message handler of the CPU worker (sim/cpuWorker.ts), kept apart from the Worker so that it runs in Node
 * tests: it owns a CpuSolver, advances it, colours the field (sim/colorize.ts, the twin of render_field.wgsl) and
 * answers probes. No DOM, no Worker globals.
 */
import { coefficients, crackStrain, herToMaCm2 } from "../../model/coefficients.ts";
import { initialState } from "../../model/initial.ts";
import type { Scenario } from "../../model/scenario.ts";
import { sampleTime, type SeriesRow } from "../../model/metrics.ts";
import { createCpuSolver } from "../../reference/run.ts";
import { CpuSolver } from "../../reference/solver.ts";
import { columnTops } from "../../reference/diagnostics.ts";
import { cpuProtocolStep } from "../../reference/protocolRun.ts";
import { ProtocolDriver } from "../../model/protocolDriver.ts";
import { foilStopReason } from "../../model/runStop.ts";
import { colorize } from "./colorize.ts";
import { pHOf } from "../../model/water.ts";
import { filmCover } from "../../reference/byproduct.ts";
import { FIELD_LAYERS, layerIndex, layerScale, type CellValues, type FieldLayer, type Frame, type RunCheckpoint } from "./types.ts";

/** What the run needs to know about the grid and the time axis, sent back after `init`. */
export interface CpuInfo { nx: number; ny: number; steps: number; dt_s: number }

export type CpuRequest =
  | { type: "init"; id?: number; scenario: Scenario }
  | { type: "frame"; id: number; steps: number; layer: FieldLayer }
  | { type: "update"; id?: number; scenario: Scenario }
  | { type: "restore"; id?: number; checkpoint: RunCheckpoint }
  | { type: "probe"; id: number; i: number; j: number };

export type CpuReply =
  | { type: "ready"; id?: number; info: CpuInfo }
  | { type: "frame"; id: number; frame: Frame }
  | { type: "probe"; id: number; values: CellValues }
  | { type: "error"; id?: number; message: string };

/** A reply and the buffers to transfer with it (the frame's pixels). */
export interface Outgoing { reply: CpuReply; transfer: ArrayBuffer[] }

export interface WorkerCore {
  /** Handles one message; null where nothing is answered (a successful `update` without an id). */
  handle(msg: CpuRequest): Outgoing | null;
  /** The solver (null before `init`), for tests. */
  readonly solver: CpuSolver | null;
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

export function createWorkerCore(): WorkerCore {
  let solver: CpuSolver | null = null;
  /** A run with a protocol: its driver (the same as the runners': reference/protocolRun.ts cpuProtocolStep). */
  let driver: ProtocolDriver | null = null;
  /** Why the run cannot go on (a zinc foil used up), told at the frame after the one whose samples found it. */
  let stopped: string | null = null;
  /**
   * The GPU's cols slot 5's twin: each column's deposit top as the last step's column pass saw it (at the step's
   * start), over which the frame drapes the coating band (colorize.ts bandSpan).
   */
  let bandTops: Float64Array = new Float64Array(0);
  /**
   * The HER current of each cell in the last step taken (A/m3), kept here so that it survives an `update` (a
   * fresh solver has taken no step yet) as the GPU's react buffer does. Zero before the first step.
   */
  let her = new Float32Array(0);

  const need = (): CpuSolver => {
    if (!solver) throw new Error("CPU worker: no scenario loaded (send init first)");
    return solver;
  };

  const info = (s: CpuSolver): CpuInfo => ({ nx: s.nx, ny: s.ny, steps: s.co.steps, dt_s: s.co.dt });

  /** `steps` steps, the samples they cross (every one: a worker's frame costs no readback), the layer's colours. */
  function frame(steps: number, layer: FieldLayer): Frame {
    const s = need();
    if (!FIELD_LAYERS.includes(layer)) throw new Error(`CPU worker: unknown field layer ${JSON.stringify(layer)}`);
    if (!Number.isFinite(steps) || steps < 0) throw new Error(`CPU worker: steps must be a finite number >= 0, got ${steps}`);
    const { co } = s;
    if (stopped) throw new Error(stopped);
    const todo = driver ? Math.floor(steps) : Math.min(Math.floor(steps), Math.max(0, co.steps - s.step));
    const rows: SeriesRow[] = [];
    let taken = 0;
    for (let q = 0; q < todo && !driver?.done; q++, taken++) {
      // The band of the frame lies on the tops before its last step (a protocol's may end before `todo`).
      if (q === todo - 1 || driver) columnTops(s, bandTops);
      if (driver) {
        const row = cpuProtocolStep(s, driver);
        if (row) rows.push(row);
        if (row && (stopped = foilStopReason(s.xi, co))) { taken++; break; }
      } else {
        s.advance();
        if (s.step % co.stepsPerSample === 0) rows.push(s.metrics()); // the runner's samples (runCpu)
      }
    }
    if (taken > 0) s.herCurrent(her);
    const c0_M = co.c0 / 1000;
    let phiMin_V = 0;
    if (layer === "potential") {
      let m = Infinity;
      for (let i = 0; i < s.nx; i++) m = Math.min(m, s.phi[i]!);
      phiMin_V = m; // the solvers keep phi in V
    }
    const scale = layerScale(layer, c0_M, phiMin_V, { ph: !!s.ph, byproduct: !!s.byproduct });
    const pixels = new Uint8ClampedArray(s.nx * s.ny * 4);
    // Its thickness, as the GPU's view has it (gpuBackend.ts), draped over the tops.
    const band: [number, number] = co.hasCoating ? [0, co.bandCells] : [0, 0];
    const fields = {
      nx: s.nx, ny: s.ny, xi: s.xi, c: s.c, phi: s.phi, integrity: s.integrity, her, dead: s.deadZinc?.dead, film: s.byproduct?.m, w: s.ph?.w,
      strain: s.strainPrev, tops: bandTops,
    };
    colorize(pixels, fields, { band, layer: layerIndex(layer), lo: scale.lo, hi: scale.hi, c0_M, herScale: herToMaCm2(co), dx_um: co.dx * 1e6, strainRef: crackStrain(co), alphaXi: true });
    const f: Frame = {
      step: s.step,
      t_s: sampleTime(s.step, co.dt),
      rows,
      pixels,
      layer: layerIndex(layer),
      scale,
      done: driver ? driver.done : s.step >= co.steps,
    };
    if (driver) {
      f.cycles = [...driver.cycles];
      if (layer === "deposit") f.dead = s.deadZinc ? s.deadZinc.dead.slice() : new Uint8Array(s.nx * s.ny);
    }
    if (layer === "potential") { f.phi = s.phi.slice(); f.xi = s.xi.slice(); }
    return f;
  }

  function probe(i: number, j: number): CellValues {
    const s = need();
    if (!Number.isFinite(i) || !Number.isFinite(j)) throw new Error(`CPU worker: probe at (${i}, ${j}) is not a cell`);
    const ci = Math.max(0, Math.min(s.nx - 1, Math.floor(i)));
    const cj = Math.max(0, Math.min(s.ny - 1, Math.floor(j)));
    const k = cj * s.nx + ci;
    return {
      metal: s.xi[k]!, c_M: (s.c[k]! * s.co.c0) / 1000, phi_V: s.phi[k]!, her_mA_cm2: s.herCurrent()[k]! * herToMaCm2(s.co),
      integrity: s.co.hasCoating ? s.integrity[ci]! : null,
      pH: s.ph ? pHOf(s.ph.w[k]!) : null,
      film_um: s.byproduct ? filmCover(s.byproduct.m[k]!) * s.co.dx * 1e6 : null,
    };
  }

  /** New coefficients on the same grid: a fresh solver for them, continued from the old one's exact state. */
  function update(scenario: Scenario): void {
    const old = need();
    const co = coefficients(scenario);
    if (co.nx !== old.nx || co.ny !== old.ny) {
      throw new Error(`CPU worker: update changes the grid (${old.nx}x${old.ny} -> ${co.nx}x${co.ny}); start a new run instead`);
    }
    const next = new CpuSolver(co, initialState(co, scenario.seed));
    next.restore(old.checkpoint());
    solver = next;
  }

  /**
   * Continues from a checkpoint of the same grid (a GPU run's, after its device was lost): the exact state, its
   * step and scalars. The HER layer shows zero until the next step, as after `init`.
   */
  function restore(cp: RunCheckpoint): void {
    const s = need();
    // Within the scenario's steps (past its last there is nothing to run); the solver checks the rest (checkCheckpoint).
    // A protocol's steps may run a little past its bound (each step's last time step is a whole one).
    const most = driver ? s.co.steps + driver.clock.cycles * driver.clock.perCycle.length : s.co.steps;
    if (!Number.isInteger(cp?.step) || cp.step < 0 || cp.step > most) throw new Error(`CPU worker: the checkpoint's step must be a whole number from 0 to ${most}, got ${cp?.step}`);
    try {
      driver?.resume(cp.protocol);
    } catch (e) {
      throw new Error(`CPU worker: ${message(e)}`);
    }
    stopped = null;
    s.restore(cp);
    columnTops(s, bandTops);
    her.fill(0);
  }

  return {
    get solver() { return solver; },
    handle(msg: CpuRequest): Outgoing | null {
      const id = "id" in msg ? msg.id : undefined;
      try {
        switch (msg.type) {
          case "init": {
            solver = createCpuSolver(msg.scenario);
            driver = msg.scenario.protocol ? new ProtocolDriver(msg.scenario, solver.co.dt, solver.co.stepsPerSample) : null;
            stopped = null;
            bandTops = columnTops(solver, new Float64Array(solver.nx));
            her = new Float32Array(solver.nx * solver.ny);
            return { reply: { type: "ready", id: msg.id, info: info(solver) }, transfer: [] };
          }
          case "frame": {
            const f = frame(msg.steps, msg.layer);
            const transfer: ArrayBuffer[] = [f.pixels.buffer];
            if (f.phi) transfer.push(f.phi.buffer);
            if (f.xi) transfer.push(f.xi.buffer);
            return { reply: { type: "frame", id: msg.id, frame: f }, transfer };
          }
          case "update": {
            update(msg.scenario);
            return msg.id === undefined ? null : { reply: { type: "ready", id: msg.id, info: info(need()) }, transfer: [] };
          }
          case "restore": {
            restore(msg.checkpoint);
            return msg.id === undefined ? null : { reply: { type: "ready", id: msg.id, info: info(need()) }, transfer: [] };
          }
          case "probe":
            return { reply: { type: "probe", id: msg.id, values: probe(msg.i, msg.j) }, transfer: [] };
          default:
            throw new Error(`CPU worker: unknown message ${JSON.stringify((msg as { type?: unknown }).type)}`);
        }
      } catch (e) {
        return { reply: { type: "error", id, message: message(e) }, transfer: [] };
      }
    },
  };
}

/** Runs a scenario on the WGSL engine, sampling the metrics exactly where the CPU runner does. */
import type { SeriesRow } from "../model/metrics.ts";
import { ScenarioError, type Scenario } from "../model/scenario.ts";
import type { Checkpoint } from "../reference/solver.ts";
import { checkResume, type PartialRun, type RunOptions } from "../reference/run.ts";
import type { GpuEngine, EngineOptions, ShaderSources } from "./engine.ts";
import { engineFor, runProtocolGpu } from "./protocol-gpu.ts";
import { checkResumedStop, RunStoppedError, runStopReason } from "../model/runStop.ts";

/**
 * The engine, started from the same initial state as the CPU reference (its constructor's checkpoint), for a run
 * at the scenario's one current (zinc or copper); a protocol runs through runProtocolGpu (protocol-gpu.ts).
 */
export function createEngine(device: GPUDevice, s: Scenario, src: ShaderSources, opts?: EngineOptions): GpuEngine {
  if (s.protocol) throw new ScenarioError("createEngine plates at one current: a scenario with a protocol runs on the GPU through runProtocolGpu (src/engine/protocol-gpu.ts)");
  return engineFor(device, s, src, opts);
}

/**
 * What to do when the device is lost mid-run (a driver reset, a GPU hang, a hot unplug): take a new device and
 * continue from the last state kept in memory, as the page does from its checkpoint.
 */
export interface GpuRecovery {
  /** A new device; the lost one is gone. */
  renew: () => Promise<GPUDevice>;
  /** Seconds between the states kept in memory to resume from (0: after every sample). */
  keepEveryS: number;
  /** Told of each loss: the samples the run had, the sample it resumes from, the device's reason. */
  onLost: (lostAfter: number, resumeFrom: number, why: string) => void;
  /** Losses in one run before it gives up (default 3). */
  maxLosses?: number;
}

/** The device was lost more often than GpuRecovery.maxLosses allows, or with no way to recover. */
export class GpuLostError extends Error {
  override name = "GpuLostError";
}

/** How long a failed readback waits for the device's `lost` to settle before it counts as another error. */
const LOST_WAIT_MS = 2000;

/** The device's reason if it is lost (waiting a moment for `lost` to settle), else null. */
async function lostReason(device: GPUDevice): Promise<string | null> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const info = await Promise.race([device.lost, new Promise<null>((r) => (timer = setTimeout(() => r(null), LOST_WAIT_MS)))]);
  clearTimeout(timer);
  return info ? `${info.reason}: ${info.message || "no message"}` : null;
}

export type GpuRunOptions = RunOptions<Promise<Checkpoint>> & EngineOptions & { recover?: GpuRecovery };

/**
 * A run of the scenario on the engine: at its one current, or (a scenario with a protocol, as runSweepPoint runs
 * one on the CPU) through runProtocolGpu, whose rows are ProtocolRows (without saves or recovery here: the runner's
 * --checkpoint of a protocol run goes through runProtocolGpu's own save and resume).
 */
export async function runGpu(device: GPUDevice, s: Scenario, src: ShaderSources, opts: GpuRunOptions = {}): Promise<{ series: SeriesRow[]; engine: GpuEngine; losses: number }> {
  if (s.protocol) {
    if (opts.resume || opts.save) throw new ScenarioError("runGpu saves and resumes runs at one current: a protocol run's state (with its clock and cycle table) goes through runProtocolGpu's save and resume");
    const { resume: _r, save: _s, recover: _v, ...rest } = opts;
    const { series, engine } = await runProtocolGpu(device, s, src, rest);
    return { series, engine, losses: 0 };
  }
  let engine = createEngine(device, s, src, opts);
  const { samples, stepsPerSample } = engine.co;
  const series: SeriesRow[] = [];
  if (opts.resume) {
    try {
      checkResume(opts.resume, engine.co);
      engine.restore(opts.resume.checkpoint);
      checkResumedStop(opts.resume.series, s);
    } catch (e) {
      engine.destroy();
      throw e;
    }
    series.push(...opts.resume.series);
  }
  const { recover } = opts;
  // The state a new device resumes from (none yet: from the start, or from the run's own resume).
  let kept: PartialRun | undefined = opts.resume && { series: [...opts.resume.series], checkpoint: opts.resume.checkpoint };
  let keptAt = performance.now();
  let losses = 0;
  while (series.length < samples) {
    try {
      engine.advance(stepsPerSample);
      const { raw: _raw, ...row } = await engine.metrics();
      series.push(row);
      opts.onSample?.(series.length, samples, row);
      // One readback serves the save (the last sample's included, under this same recovery) and the kept state.
      let cp: Promise<Checkpoint> | undefined;
      const take = () => (cp ??= engine.checkpoint());
      await opts.save?.(series, take);
      // After the save, as on the CPU (runCpu): a stopped run's saved samples end at the stop.
      const stop = runStopReason(row, s);
      if (stop) throw new RunStoppedError(stop, series);
      if (recover && performance.now() - keptAt >= recover.keepEveryS * 1000) {
        kept = { series: [...series], checkpoint: await take() };
        keptAt = performance.now();
      }
    } catch (e) {
      if (e instanceof RunStoppedError) {
        engine.destroy();
        throw e;
      }
      const why = recover ? await lostReason(device) : null;
      if (!recover || why === null) throw e;
      if (++losses > (recover.maxLosses ?? 3)) {
        throw new GpuLostError(`the GPU device was lost ${losses} times in this run (the last: ${why}); stopping`);
      }
      const lostAfter = series.length;
      engine.destroy();
      try {
        device = await recover.renew();
      } catch (err) {
        throw new GpuLostError(`the GPU device was lost (${why}) and no new one could be made (${(err as Error).message}); stopping`);
      }
      engine = createEngine(device, s, src, opts);
      series.length = 0;
      if (kept) {
        engine.restore(kept.checkpoint);
        series.push(...kept.series);
      }
      keptAt = performance.now();
      recover.onLost(lostAfter, series.length, why);
    }
  }
  return { series, engine, losses };
}

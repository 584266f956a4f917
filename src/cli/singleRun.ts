/**
 * A single run (`--scenario FILE` or `--preset ID`): on the CPU reference solver or the WGSL engine, with
 * --checkpoint's periodic saves and --resume, its result JSON (and CSV) written whole at the end, or at the sample
 * where it could not go on.
 */
import { existsSync } from "node:fs";
import { seriesToCsv } from "../model/csv.ts";
import type { ProtocolRow, SeriesRow } from "../model/metrics.ts";
import { RunStoppedError } from "../model/runStop.ts";
import type { Scenario } from "../model/scenario.ts";
import { runCpu, type RunOptions } from "../reference/run.ts";
import type { Checkpoint } from "../reference/solver.ts";
import { distinct, noteOneColumn, parseThreads, readScenario, saveEvery, UsageError, writable, type Flags } from "./args.ts";
import { cyclesToCsv, type CycleRow } from "../model/cycleLog.ts";
import { ProtocolStoppedError, runProtocolCpu, type ProtocolRunOptions } from "../reference/protocolRun.ts";
import { writeWhole } from "./atomicWrite.ts";
import { fitTafel, polarizationToCsv, TAFEL_WINDOW_V, type PolarizationPoint, type TafelFit } from "../model/tafel.ts";
import { gpuBackend, gpuRecovery, KEEP_S } from "./gpu.ts";
import { periodicSave, protocolSave, readProtocolResume, readResume, type ProtocolSave } from "./resume.ts";

/** A single run as the flags say, to its exit status. */
export async function runSingle(values: Flags & { backend: "cpu" | "gpu" }): Promise<number> {
  if (values.jobs !== undefined) throw new UsageError("--jobs is for sweeps (--sweep SWEEP.json); a single run is one process");
  if (!values.out) throw new UsageError("--out RESULT.json is required");
  if (values.checkpoint === undefined && (values.resume || values["checkpoint-every"] !== undefined)) {
    throw new UsageError(`--${values.resume ? "resume" : "checkpoint-every"} needs --checkpoint STATE.json (the file the run saves its state to${values.resume ? " and resumes from" : ""})`);
  }
  const every = saveEvery(values["checkpoint-every"]);
  const threads = parseThreads(values.threads);
  if (values.threads !== undefined && values.backend !== "cpu") throw new UsageError("--threads is for the cpu backend");
  const outputs = { out: values.out, csv: values.csv, checkpoint: values.checkpoint, "cycles-csv": values["cycles-csv"], "polarization-csv": values["polarization-csv"] };
  distinct({ scenario: values.scenario, ...outputs });
  writable(outputs);
  const state = values.checkpoint;
  const scenario = readScenario(values);
  noteOneColumn(scenario, "the scenario");
  if (values["cycles-csv"] !== undefined && !scenario.protocol) throw new UsageError("--cycles-csv is the per-cycle table of a protocol run: give --protocol NAME or a scenario with a protocol");
  if (values["polarization-csv"] !== undefined && !scenario.protocol?.some((st) => st.step === "sweep")) throw new UsageError("--polarization-csv is the curve of a sweep step: give --protocol tafel or a scenario whose protocol has a sweep");
  if (scenario.protocol) {
    const opts: ProtocolRunOptions & { save?: ProtocolSave } = { threads, onSample: progress(scenario) };
    if (state !== undefined) {
      if (values.resume) opts.resume = readProtocolResume(state, scenario);
      else if (existsSync(state)) process.stderr.write(`sim: ${state} is there already; this run replaces it (--resume would continue it instead)\n`);
      process.stderr.write(`sim: saving the run's state to ${state} every ${every} s; if stopped, the same command with --resume continues it\n`);
      opts.save = protocolSave(state, scenario, every);
    }
    return runProtocol(scenario, values.backend, opts, state, values.out, values.csv, values["cycles-csv"], values["polarization-csv"]);
  }
  const run: Pick<RunOptions, "resume" | "onSample"> = { onSample: progress(scenario) };
  if (state !== undefined) {
    if (values.resume) run.resume = readResume(state, scenario);
    else if (existsSync(state)) process.stderr.write(`sim: ${state} is there already; this run replaces it (--resume would continue it instead)\n`);
    process.stderr.write(`sim: saving the run's state to ${state} every ${every} s; if stopped, the same command with --resume continues it\n`);
  }
  const meta = { scenario, ...(run.resume ? { resumed_at_sample: run.resume.series.length } : {}) };
  if (values.backend === "gpu") return runOnGpu(meta, run, values.out, values.csv, state, every);
  const t0 = performance.now();
  let result;
  try {
    result = runCpu(scenario, { ...run, threads, save: state === undefined ? undefined : periodicSave(state, scenario, every) });
  } catch (e) {
    if (e instanceof RunStoppedError) return stopped(e, { ...meta, backend: "cpu" }, t0, values.out, values.csv);
    throw e;
  }
  const { series, solver } = result;
  return write({ ...meta, backend: "cpu", steps: solver.step, dt_s: solver.co.dt, series }, t0, values.out, values.csv);
}

/** A protocol run on either backend: its series, per-cycle table and, on stderr, one line a cycle. */
async function runProtocol(scenario: Scenario, backend: "cpu" | "gpu", opts: ProtocolRunOptions & { save?: ProtocolSave }, state: string | undefined, out: string, csv?: string, cyclesCsv?: string, polarizationCsv?: string): Promise<number> {
  const t0 = performance.now();
  const meta = { scenario, backend, ...(opts.resume ? { resumed_at_sample: opts.resume.series.length } : {}) };
  let result: { series: ProtocolRow[]; cycles: CycleRow[]; steps: number; dt: number; polarization: PolarizationPoint[] };
  try {
    if (backend === "gpu") {
      // src/engine/protocol-gpu.ts; a lost device ends the run (with --checkpoint, --resume continues it).
      const got = await gpuBackend();
      if ("exit" in got) return got.exit;
      const { runProtocolGpu } = await import("../engine/protocol-gpu.ts");
      const { onSample: afterSample } = gpuRecovery(got.gpu, KEEP_S, () => "");
      const onSample: ProtocolRunOptions["onSample"] = (done, total, row) => {
        opts.onSample?.(done, total, row);
        afterSample?.(done, total, row);
      };
      try {
        const { series, cycles, polarization, engine } = await runProtocolGpu(got.gpu.device, scenario, got.shaders, { onSample, resume: opts.resume, save: opts.save });
        result = { series, cycles, steps: engine.step, dt: engine.co.dt, polarization };
        engine.destroy();
      } catch (e) {
        if (e instanceof ProtocolStoppedError || state === undefined) throw e;
        throw new got.GpuLostError(`${(e as Error).message}; the samples saved so far are in ${state}: the same command with --resume continues from them, also with --backend cpu`);
      }
    } else {
      const { series, cycles, solver, polarization } = runProtocolCpu(scenario, opts);
      result = { series, cycles, steps: solver.step, dt: solver.co.dt, polarization };
    }
  } catch (e) {
    if (!(e instanceof ProtocolStoppedError)) throw e;
    if (cyclesCsv) writeWhole(cyclesCsv, cyclesToCsv(e.cycles));
    return stopped(e, { ...meta, cycles: e.cycles }, t0, out, csv);
  }
  const { series, cycles, steps, dt, polarization } = result;
  if (cyclesCsv) writeWhole(cyclesCsv, cyclesToCsv(cycles));
  for (const c of cycles) {
    process.stderr.write(
      `sim: cycle ${c.cycle}: plated ${c.plated_mAh_cm2.toFixed(4)} mAh/cm2, stripped ${c.stripped_mAh_cm2.toFixed(4)} mAh/cm2, CE ${(100 * c.ce).toFixed(2)} % (zinc kept ${(100 * c.ce_zn).toFixed(3)} %), dead Zn ${c.dead_zn_mAh_cm2.toExponential(2)} mAh/cm2, hysteresis ${c.hysteresis_mV.toFixed(1)} mV\n`,
    );
    if (c.rest_s > 0) {
      process.stderr.write(
        `sim: cycle ${c.cycle} at rest ${c.rest_s.toFixed(0)} s: mixed potential E_mix ${c.e_mix_mV.toFixed(3)} mV vs Zn, corrosion current i_corr ${c.corrosion_uA_cm2.toFixed(3)} uA/cm2, zinc lost ${c.zn_lost_mAh_cm2.toExponential(3)} mAh/cm2 (${c.zn_lost_um.toFixed(4)} um), H2 ${c.rest_h2_mmol_cm2.toExponential(3)} mmol/cm2\n`,
      );
    }
  }
  const tafel = polarization.length ? tafelReport(polarization) : undefined;
  if (polarizationCsv) writeWhole(polarizationCsv, polarizationToCsv(polarization));
  return write({ ...meta, steps, dt_s: dt, cycles, ...(tafel ? { tafel } : {}), series }, t0, out, csv);
}

/** The Tafel fit of a sweep's curve, on stderr and as the result's `tafel` (or why it could not be fitted). */
function tafelReport(points: PolarizationPoint[]): TafelFit | { error: string } {
  try {
    const f = fitTafel(points);
    process.stderr.write(
      `sim: Tafel: E_corr ${(f.E_corr_V * 1e3).toFixed(3)} mV vs Zn, i_corr ${(f.i_corr_A_m2 * 100).toFixed(3)} uA/cm2 (HER line at E_corr, ${f.her_slope_mV_dec.toFixed(1)} mV/dec); ` +
        `extrapolated Tafel lines of the total current (|E - E_corr| ${TAFEL_WINDOW_V.min * 1e3}-${TAFEL_WINDOW_V.max * 1e3} mV): ${(f.i_tafel_A_m2 * 0.1).toFixed(3)} mA/cm2, slopes ${f.anodic_slope_mV_dec.toFixed(1)} / ${f.cathodic_slope_mV_dec.toFixed(1)} mV/dec (anodic / cathodic)\n`,
    );
    return f;
  } catch (e) {
    process.stderr.write(`sim: Tafel fit: ${(e as Error).message}\n`);
    return { error: (e as Error).message };
  }
}

/** A run that cannot go on (runStopReason): its samples so far and why, written as a result would be; exit 1. */
function stopped(e: RunStoppedError, meta: { scenario: Scenario; backend: string } & Record<string, unknown>, t0: number, out: string, csv?: string): number {
  write({ ...meta, stopped: e.reason, series: e.series }, t0, out, csv, false);
  process.stderr.write(`sim: ${e.message}. Its ${e.series.length} samples are in ${out} ("stopped" says why).\n`);
  return 1;
}

/** Progress on stderr, at most every 2 s. */
function progress(scenario: Scenario): RunOptions["onSample"] {
  let last = performance.now();
  return (done, total, row) => {
    const now = performance.now();
    if (now - last > 2000 || done === total) {
      last = now;
      process.stderr.write(`sim: ${Math.round((100 * done) / total)}% (t = ${row.t_s.toFixed(1)} s of ${scenario.duration_s} s)\n`);
    }
  };
}

/** Writes the result (and its CSV); `done`: also says so, with the last sample's numbers, on stderr. */
function write(result: { scenario: Scenario; backend: string; series: SeriesRow[] } & Record<string, unknown>, t0: number, out: string, csv?: string, done = true): number {
  const wall = (performance.now() - t0) / 1000;
  writeWhole(out, JSON.stringify({ ...result, wall_s: +wall.toFixed(3) }, null, 1) + "\n");
  if (csv) writeWhole(csv, seriesToCsv(result.series));
  if (!done) return 0;
  const last = result.series.at(-1)!;
  const ce = "cycles" in result ? `zinc kept in the last cycle ${(100 * last.ce).toFixed(3)} %` : `CE ${(100 * last.ce).toFixed(2)} %`;
  process.stderr.write(`sim: done in ${wall.toFixed(1)} s; final max height ${last.max_height_um.toFixed(2)} um, H2 ${last.h2_mmol_cm2.toExponential(3)} mmol/cm2, ${ce}\n`);
  return 0;
}

/**
 * The WGSL engine through Dawn in Node: on the GPU driver's Vulkan where there is one, else on Chromium's
 * SwiftShader, which the runner sets up itself (a child process with the loader's environment).
 */
async function runOnGpu(
  meta: { scenario: Scenario },
  run: Pick<RunOptions, "resume" | "onSample">,
  out: string,
  csv: string | undefined,
  state: string | undefined,
  every: number,
): Promise<number> {
  const t0 = performance.now();
  const got = await gpuBackend();
  if ("exit" in got) return got.exit;
  const { gpu, runGpu, GpuLostError, shaders } = got;
  const { scenario } = meta;
  const save = state === undefined ? undefined : periodicSave<Promise<Checkpoint>>(state, scenario, every);
  const { recover, onSample: afterSample } = gpuRecovery(gpu, state === undefined ? KEEP_S : every, () => "");
  const onSample: RunOptions["onSample"] = (done, total, row) => {
    run.onSample?.(done, total, row);
    afterSample?.(done, total, row);
  };
  let result;
  try {
    result = await runGpu(gpu.device, scenario, shaders, { ...run, onSample, save, recover });
  } catch (e) {
    if (e instanceof RunStoppedError) return stopped(e, { ...meta, backend: "gpu", adapter: gpu.adapter }, t0, out, csv);
    if (!(e instanceof GpuLostError)) throw e;
    const kept = state === undefined ? "nothing was kept (with --checkpoint STATE.json a run keeps its samples)" : `the samples saved so far are in ${state}: the same command with --resume continues from them, also with --backend cpu`;
    throw new GpuLostError(`${e.message}; ${kept}`);
  }
  const { series, engine, losses } = result;
  return write({ ...meta, backend: "gpu", adapter: gpu.adapter, gpu_device_losses: losses, steps: engine.step, dt_s: engine.co.dt, series }, t0, out, csv);
}

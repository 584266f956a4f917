/**
 * The page's run: one pane of the shared lifecycle (lockstepRun.ts) on the field canvas, with the page's store
 * (state/pageStore.ts): the GPU first, the CPU worker where WebGPU is missing or the device is lost for good. Here
 * only what is the page's own: uniform writes of new parameters on the running backend, the hover probe, the
 * steps and frames per second, and the page's words. No React.
 */
import type { SeriesRow } from "../../model/metrics.ts";
import type { Scenario } from "../../model/scenario.ts";
import { pageActions, usePage } from "../state/pageStore.ts";
import { timeText } from "../text.ts";
import { LockstepRun, type RunWords } from "./lockstepRun.ts";
import {
  CPU_FALLBACK_CELLS, fallbackGridText, isDefaultGrid, isSoftwareNote, liveScenario, needsRestart, onGrid, sameGrid, softwareGridText,
  type BackendFactories, type RunPlace,
} from "./runRules.ts";
import { chooseWarmGrid, cpuGridWhy, softwareGridWhy, WARM_FPS, warmCandidates, warmText } from "./warmup.ts";
import type { FieldLayer } from "./types.ts";

export class RunController extends LockstepRun {
  private rate = { t0: 0, frames: 0, steps: 0 };
  protected readonly words: RunWords = {
    whose: "its", resuming: "Resuming", resumed: "the run resumed", inWorkers: "a Web Worker", workers: "the CPU worker",
    later: `; new runs on this page use the CPU, on grids of at most ${CPU_FALLBACK_CELLS} cells`,
    stopped: (why) => `The run stopped: ${why}. Reset to start again; your settings are kept.`,
    neither: (gpu, cpu) => `Neither WebGPU (${gpu}) nor the CPU worker (${cpu}) could start.`,
  };

  constructor(factories: BackendFactories) {
    super(factories, pageActions);
  }

  /**
   * Builds a backend for `s` (the GPU first, then the CPU fallback) and shows its first frame. The default grid that
   * nobody asked for, on a hardware adapter, first goes through the warm-up (warmGrid): the page then shows and runs
   * the grid it chose.
   */
  async start(s: Scenario, play = false): Promise<void> {
    const token = ++this.starts;
    pageActions.runStarting(s);
    const run = await this.warmGrid(s);
    if (token !== this.starts) return; // a later start overtook this one
    if (run !== s) {
      pageActions.setScenario(run);
      pageActions.runStarting(run);
    }
    await this.startPanes([run], play);
  }

  private starts = 0;
  /** The grid the warm-up chose, while its words stand in the run bar. */
  private warmed: Scenario | null = null;

  /**
   * The warm-up's grid for `s` (warmup.ts): the finest candidate that keeps WARM_FPS at the page's speed, its words in
   * the run bar; `s` itself where it has no warm-up (a grid asked, a software adapter, no WebGPU, a protocol or a
   * scenario the GPU refuses, or a warm-up that failed: today's choice).
   */
  private async warmGrid(s: Scenario): Promise<Scenario> {
    const { gpuWarmup, gpuPlace } = this.factories;
    if (!gpuWarmup || !gpuPlace || s.protocol || !isDefaultGrid(s, usePage.getState().gridAsked)) return s;
    try {
      if ((await gpuPlace()) !== "hardware") return s;
      const speed = usePage.getState().speed;
      const candidates = warmCandidates(s);
      pageActions.setGridWhy(`Timing ${candidates.length} grids on this GPU to choose the finest that keeps ${WARM_FPS} frames/s…`);
      const { label, timings } = await gpuWarmup(candidates, speed);
      const k = chooseWarmGrid(timings, speed);
      this.warmed = candidates[k]!;
      pageActions.setGridWhy(warmText(label, this.warmed, timings[k], speed, timings.filter(Boolean).length));
      return this.warmed;
    } catch {
      pageActions.setGridWhy(null);
      return s; // no device or a failed warm-up: the run starts as it would have, and says why if it falls back
    }
  }

  /** The field canvas (pane 0's). */
  setField(canvas: HTMLCanvasElement | null, overlay: HTMLCanvasElement | null): void {
    this.setCanvas(0, canvas, overlay);
  }

  /**
   * New parameters: a uniform write on the running backend. What needs a restart (restartReason) waits for it, and
   * the rest applies now (liveScenario): a new seed pending does not hold back a new HER exchange current.
   */
  apply(s: Scenario): boolean {
    const running = usePage.getState().running;
    const b = this.panes[0]?.backend;
    if (!b || !running) return false;
    const live = needsRestart(running, s) ? liveScenario(running, s) : s;
    if (!live) return false;
    // The backend's own grid: the CPU fallback's smaller one, or the full one of a run it took over from a lost GPU.
    b.update(onGrid(live, b.nx, b.ny));
    // A finished run given a longer duration (on the same schedule) can go on: Play continues it.
    pageActions.runApplied(live, b.steps);
    return live === s;
  }

  async probe(i: number, j: number): Promise<void> {
    const b = this.panes[0]?.backend;
    if (!b) return;
    try {
      pageActions.setHover({ i, j, values: await b.probe(i, j) });
    } catch {
      /* a probe racing a restart: nothing to show */
    }
  }

  /** The scenario as it runs: the page's, on its backend's grid (the CPU fallback's may be smaller), for exports. */
  runScenario(): Scenario {
    const s = usePage.getState().running ?? usePage.getState().scenario;
    const g = this.grid;
    return g ? onGrid(s, g.nx, g.ny) : s;
  }

  // ---- the lifecycle's store and words ----
  protected speed(): number { return usePage.getState().speed; }
  protected layer(): FieldLayer { return usePage.getState().layer; }
  protected status(): string { return usePage.getState().status; }
  protected runningScenarios(): readonly Scenario[] { return [usePage.getState().running]; }

  protected override willPlay(): void {
    this.rate = { t0: performance.now(), frames: 0, steps: 0 };
  }

  protected override counted(steps: number): void {
    this.rate.frames++;
    this.rate.steps += steps;
  }

  /**
   * A backend is in place: a control moved while it was being made (apply had nothing to write to) goes to it as
   * apply would take it; what needs a restart shows as pending.
   */
  protected override adopted(): void {
    const asked = usePage.getState().scenario;
    if (asked && asked !== usePage.getState().running) this.apply(asked);
  }

  protected publish(now: number): void {
    const u = this.takeUpdates()[0];
    if (!u) return;
    const secs = (now - this.rate.t0) / 1000;
    const rates = this.playing && secs > 0.5 ? { stepsPerSecond: this.rate.steps / secs, framesPerSecond: this.rate.frames / secs } : undefined;
    if (this.playing && secs > 2) this.rate = { t0: now, frames: 0, steps: 0 };
    pageActions.runProgress({ step: u.step, t_s: u.t_s, scale: u.frame.scale, rows: u.rows, cycles: u.frame.cycles, rates });
  }

  protected stopText(_k: number, row: SeriesRow, stop: string): string {
    return `at t = ${timeText(row.t_s)} s, ${stop}`;
  }

  protected note(text: string): void {
    pageActions.setBanner(text);
  }

  protected override gridAsked(): boolean {
    return usePage.getState().gridAsked;
  }

  protected override onAdapter(asked: readonly Scenario[], run: readonly Scenario[], place: RunPlace, label: string): void {
    if (run[0] !== asked[0]) pageActions.setBanner(softwareGridText(label, asked[0]!, run[0]!));
    else if (isSoftwareNote(usePage.getState().banner)) pageActions.setBanner(null);
    // The run bar says why the grid is what it is: a software adapter keeps today's choice (the default grid's
    // smaller piece; a grid asked runs as asked, with no words); on a hardware one the warm-up's words stay while its
    // grid runs, and go once another grid is asked.
    if (place === "software") pageActions.setGridWhy(run[0] !== asked[0] ? softwareGridWhy(label, run[0]!) : null);
    else if (!this.warmed || !sameGrid(this.warmed, run[0]!)) {
      this.warmed = null;
      pageActions.setGridWhy(null);
    }
  }

  protected fellBack(asked: readonly Scenario[], small: readonly Scenario[], gpuError: string): void {
    this.warmed = null;
    pageActions.setGridWhy(cpuGridWhy(small[0]!));
    pageActions.setBanner(
      `WebGPU is not available here (${gpuError}). Running the CPU reference solver in a Web Worker ${fallbackGridText(asked[0]!, small[0]!)} instead; everything else works the same.`,
    );
  }
}

/**
 * The run controller: owns the simulation backend (the WebGPU engine, or the CPU solver in a Web Worker where
 * WebGPU is missing), steps it once per animation frame, draws each frame straight onto the field canvas and
 * hands the store throttled updates (so React re-renders a few times a second, never per step). No React.
 */
import { sampleTime, type SeriesRow } from "../../model/metrics.ts";
import { parseScenario, type Scenario } from "../../model/scenario.ts";
import { stepSchedule } from "../../model/coefficients.ts";
import { appendBounded, usePage } from "../store.ts";
import type { Checkpoint } from "../../reference/solver.ts";
import { drawFrame, drawLines } from "./drawFrame.ts";
import { runStopReason } from "../../model/runStop.ts";
import { FrameLoop, message, reportUnlessLost } from "./frameLoop.ts";
import type { Frame, SimBackend } from "./types.ts";
import type { ClipAdvance } from "./recordClip.ts";

/**
 * The most cells the CPU fallback runs: 128 x 128, ~9 ms a coupled step of the CPU solver on one core
 * (docs/PERFORMANCE.md), so one step a frame keeps up with a 60 Hz display.
 */
export const CPU_FALLBACK_CELLS = 128 * 128;

/**
 * The CPU fallback's scenario: the asked grid where it has at most CPU_FALLBACK_CELLS cells; otherwise narrower
 * (its width halved, down to 32 cells: room for several nuclei) and only then lower (down to 16), until it has.
 * The height is kept first because it keeps a growing deposit inside the cell (runStop.ts); the cells keep their
 * size (the physics is tuned to it), so a smaller grid is a narrower (or shorter) piece of the electrode.
 */
export function fallbackScenario(s: Scenario): Scenario {
  let { nx, ny } = s.grid;
  while (nx * ny > CPU_FALLBACK_CELLS && nx > 32) nx >>= 1;
  while (nx * ny > CPU_FALLBACK_CELLS && ny > 16) ny >>= 1;
  return onGrid(s, nx, ny);
}

/** The banner's words for the CPU fallback's grid: the same as asked, or which smaller piece it runs. */
export function fallbackGridText(asked: Scenario, run: Scenario): string {
  const { nx, ny, dx_um } = run.grid;
  if (run.mode === "1d") return `on the same column of ${ny} cells (1d)`;
  if (nx === asked.grid.nx && ny === asked.grid.ny) return `on the same ${nx} × ${ny} grid`;
  const um = (n: number) => Number((n * dx_um).toPrecision(4));
  return `on a smaller ${nx} × ${ny} grid (${um(nx)} × ${um(ny)} µm of the ${um(asked.grid.nx)} × ${um(asked.grid.ny)} µm asked, same ${dx_um} µm cells)`;
}

/** `s` on an nx x ny grid (itself where it already is). */
function onGrid(s: Scenario, nx: number, ny: number): Scenario {
  return s.grid.nx === nx && s.grid.ny === ny ? s : parseScenario({ ...s, grid: { ...s.grid, nx, ny } });
}

const sameGrid = (a: Scenario, b: Scenario) =>
  a.mode === b.mode && a.grid.nx === b.grid.nx && a.grid.ny === b.grid.ny && a.grid.dx_um === b.grid.dx_um;
const sameSchedule = (a: Scenario, b: Scenario) => {
  const p = stepSchedule(a), q = stepSchedule(b);
  // The samples' count may differ: the same interval over another duration (withDuration) is the same steps, more or fewer.
  return p.dt === q.dt && p.stepsPerSample === q.stepsPerSample;
};

/**
 * What keeps `b` from going on as a uniform write on a run of `a`, as the restart button names it, or null: another
 * grid or seed (another start), or another time step or sample schedule (the steps so far would stand for another
 * time: set by the current, the duration and the coating's anisotropy).
 */
export function restartReason(a: Scenario, b: Scenario): string | null {
  const why = [
    !sameGrid(a, b) && "the new grid",
    a.seed !== b.seed && "the new seed",
    !sameSchedule(a, b) && "the new time step (set by the current density, duration and anisotropy)",
  ].filter((w): w is string => !!w);
  return why.length ? why.join(" and ") : null;
}

/** True when two scenarios need separate runs; otherwise a uniform write will do. */
export function needsRestart(a: Scenario, b: Scenario): boolean {
  return restartReason(a, b) !== null;
}

/**
 * The part of `b` that a run of `a` can take as a uniform write: `b` with `a`'s grid and seed, and where the time
 * step would still change, `a`'s current and duration too; null when even that would change it (an anisotropy).
 */
export function liveScenario(a: Scenario, b: Scenario): Scenario | null {
  try {
    let live = parseScenario({ ...b, mode: a.mode, grid: a.grid, seed: a.seed });
    if (!sameSchedule(a, live)) live = parseScenario({ ...live, current_mA_cm2: a.current_mA_cm2, duration_s: a.duration_s, samples: a.samples });
    return sameSchedule(a, live) ? live : null;
  } catch {
    return null; // b's values do not all fit a's grid (a check across fields): nothing applies before the restart
  }
}

export interface BackendFactories {
  gpu: (s: Scenario) => Promise<SimBackend>;
  cpu: (s: Scenario) => Promise<SimBackend>;
}

export class RunController {
  private backend: SimBackend | null = null;
  private gen = 0;
  private readonly loop = new FrameLoop({
    live: (gen) => gen === this.gen && this.backend !== null,
    frame: async (withMetrics, gen) => {
      const f = await this.runFrame(usePage.getState().speed, withMetrics, gen);
      return f ? f.done : null;
    },
    finish: async (gen) => {
      await this.runFrame(0, true, gen);
      this.markDone();
    },
    flush: (force) => this.flush(force),
    keepCheckpoint: (gen) => this.keepCheckpoint(gen),
    showPaused: () => this.showPaused(),
    fail: (e, gen) => this.fail(e, gen),
    // A last frame that read no samples back (every other frame does) leaves some on the GPU.
    drain: async (gen) => { await this.runFrame(0, true, gen); },
    ended: (gen) => {
      if (!this.redrawPending) return;
      this.redrawPending = false;
      if (gen === this.gen && !this.playing) void this.redraw();
    },
  });
  private canvas: HTMLCanvasElement | null = null;
  private overlay: HTMLCanvasElement | null = null;
  private lastFrame: Frame | null = null;
  private pendingRows: SeriesRow[] = [];
  private rate = { t0: 0, frames: 0, steps: 0 };
  /** Frames asked of the backend so far: a frame that a newer one overtook is not drawn. */
  private frameSeq = 0;
  /** A redraw asked for while the loop was winding down after a pause: the loop does it when it ends. */
  private redrawPending = false;
  /** Why WebGPU failed on this page, once it has: later runs go to the CPU at once, and the banner keeps saying why. */
  private gpuFailure: string | null = null;
  /** The last checkpoint of a GPU run (every CHECKPOINT_MS while running), to resume from after a lost device. */
  private saved: { cp: Checkpoint; t_s: number } | null = null;

  constructor(private readonly factories: BackendFactories) {}

  private get playing(): boolean {
    return this.loop.playing;
  }

  /** Builds a backend for `s` (the GPU first, then the CPU fallback) and shows its first frame. */
  async start(s: Scenario, play = false): Promise<void> {
    const gen = ++this.gen;
    this.loop.playing = false;
    this.backend?.destroy();
    this.backend = null;
    this.pendingRows = [];
    usePage.setState({ status: "starting", running: s, history: [], latest: null, step: 0, t_s: 0, error: null, hover: null, stepsPerSecond: 0, framesPerSecond: 0 });
    let b: SimBackend;
    try {
      if (this.gpuFailure !== null) throw new Error(this.gpuFailure);
      b = await this.factories.gpu(s);
    } catch (gpuError) {
      if (gen !== this.gen) return;
      this.gpuFailure = message(gpuError);
      try {
        const small = fallbackScenario(s);
        b = await this.factories.cpu(small);
        usePage.setState({
          banner: `WebGPU is not available here (${message(gpuError)}). Running the CPU reference solver in a Web Worker ${fallbackGridText(s, small)} instead; everything else works the same.`,
        });
      } catch (cpuError) {
        if (gen !== this.gen) return;
        usePage.setState({ status: "error", error: `Neither WebGPU (${message(gpuError)}) nor the CPU worker (${message(cpuError)}) could start.` });
        return;
      }
    }
    if (gen !== this.gen) { b.destroy(); return; }
    this.backend = b;
    this.saved = null;
    this.watchLoss(b);
    usePage.setState({ backend: { kind: b.kind, label: b.label }, steps: b.steps });
    this.catchUp(s);
    try {
      await this.runFrame(0, true, gen);
    } catch (e) {
      this.fail(e, gen);
      return;
    }
    usePage.setState({ status: "paused" });
    if (play) this.play();
  }

  setCanvas(canvas: HTMLCanvasElement | null): void {
    this.canvas = canvas;
    if (canvas && this.lastFrame) this.draw(this.lastFrame);
  }

  /** The transparent canvas over the field canvas: the current lines of the potential layer go there. */
  setOverlay(canvas: HTMLCanvasElement | null): void {
    this.overlay = canvas;
    if (canvas) this.drawLines(this.lastFrame);
  }

  play(): void {
    if (!this.backend || this.playing) return;
    if (usePage.getState().status === "done") return;
    this.rate = { t0: performance.now(), frames: 0, steps: 0 };
    usePage.setState({ status: "running" });
    this.loop.play(this.gen);
  }

  /**
   * Stops after the frame in flight. The page says "paused" only once that frame has landed, so the charts then
   * hold every sample the run will show and Step works at once.
   */
  pause(): void {
    this.loop.pause();
  }

  private showPaused(): void {
    if (this.backend && !this.playing && usePage.getState().status === "running") usePage.setState({ status: "paused", stepsPerSecond: 0, framesPerSecond: 0 });
  }

  toggle(): void {
    if (this.playing) this.pause(); else this.play();
  }

  /** One coupled step while paused. */
  async stepOnce(): Promise<void> {
    if (!this.backend || this.playing || this.loop.looping) return;
    const gen = this.gen;
    try {
      await this.runFrame(1, true, gen);
    } catch (e) {
      this.fail(e, gen);
    }
  }

  // ---- clip recording (issue 5) ----
  /**
   * For clip recording: pauses the run, waits for a winding-down loop to end, then runs one frame of `steps`
   * steps (metrics included) and draws it on the field and overlay canvases before resolving. "end" where that
   * frame reached the run's last step (the run is then done), "gone" where no backend is there (or a restart
   * overtook it).
   */
  async advanceForRecording(steps: number): Promise<ClipAdvance> {
    this.pause();
    while (this.loop.looping) await new Promise((r) => setTimeout(r, 5));
    if (!this.backend) return "gone";
    const gen = this.gen;
    const f = await this.runFrame(Math.max(0, Math.floor(steps)), true, gen);
    if (f === null || gen !== this.gen) return "gone";
    if (!f.done) return "ok";
    this.markDone();
    return "end";
  }

  /** The run reached its last step: the store gets its last samples and says "done". */
  private markDone(): void {
    this.flush(true);
    usePage.setState({ status: "done", stepsPerSecond: 0, framesPerSecond: 0 });
  }
  // ---- end clip recording ----

  /**
   * New parameters: a uniform write on the running backend. What needs a restart (restartReason) waits for it, and
   * the rest applies now (liveScenario): a new seed pending does not hold back a new HER exchange current.
   */
  apply(s: Scenario): boolean {
    const running = usePage.getState().running;
    if (!this.backend || !running) return false;
    const live = needsRestart(running, s) ? liveScenario(running, s) : s;
    if (!live) return false;
    // The backend's own grid: the CPU fallback's smaller one, or the full one of a run it took over from a lost GPU.
    this.backend.update(onGrid(live, this.backend.nx, this.backend.ny));
    // A finished run given a longer duration (on the same schedule) can go on: Play continues it.
    const st = usePage.getState();
    const goesOn = st.status === "done" && this.backend.steps > st.step;
    usePage.setState({ running: live, steps: this.backend.steps, ...(goesOn ? { status: "paused" as const } : {}) });
    return live === s;
  }

  /**
   * A control moved while the backend for `built` was being made (apply had no backend to write to): the page's
   * scenario now goes to it as apply would take it, and what needs a restart shows as pending.
   */
  private catchUp(built: Scenario): void {
    const asked = usePage.getState().scenario;
    if (asked && asked !== built) this.apply(asked);
  }

  /** Redraws the current state with another layer (while playing, the next frame does). */
  async redraw(): Promise<void> {
    if (!this.backend || this.playing) return;
    if (this.loop.looping) { this.redrawPending = true; return; }
    try {
      await this.runFrame(0, true, this.gen);
    } catch (e) {
      this.fail(e, this.gen);
    }
  }

  async probe(i: number, j: number): Promise<void> {
    const b = this.backend;
    if (!b) return;
    try {
      const values = await b.probe(i, j);
      usePage.setState({ hover: { i, j, values } });
    } catch {
      /* a probe racing a restart: nothing to show */
    }
  }

  get grid(): { nx: number; ny: number } | null {
    return this.backend ? { nx: this.backend.nx, ny: this.backend.ny } : null;
  }

  /** The scenario as it runs: the page's, on its backend's grid (the CPU fallback's may be smaller), for exports. */
  runScenario(): Scenario {
    const s = usePage.getState().running ?? usePage.getState().scenario;
    return this.backend ? onGrid(s, this.backend.nx, this.backend.ny) : s;
  }

  destroy(): void {
    this.gen++;
    this.loop.playing = false;
    this.backend?.destroy();
    this.backend = null;
  }

  private async runFrame(steps: number, withMetrics: boolean, gen: number): Promise<Frame | null> {
    const b = this.backend;
    if (!b) return null;
    const { layer } = usePage.getState();
    const before = this.lastFrame?.step ?? 0;
    const seq = ++this.frameSeq;
    const f = await b.frame(steps, layer, withMetrics);
    if (gen !== this.gen) return null;
    // Two redraws in quick succession (layer clicks) can finish out of order: the older one is not drawn.
    if (seq === this.frameSeq) {
      this.lastFrame = f;
      this.draw(f);
    }
    if (f.rows.length) {
      // The rule needs only the mode and the grid that runs (no scenario parsed a frame, as runScenario() would).
      const { mode, grid } = usePage.getState().running;
      for (const row of f.rows) {
        const stop = runStopReason(row, { mode, grid: { ...grid, nx: b.nx, ny: b.ny } });
        // A finite last row is kept (the charts end at it); the run goes no further.
        if (stop) {
          if (Object.values(row).every(Number.isFinite)) this.pendingRows.push(row);
          this.flush(true);
          throw new Error(`at t = ${Number(row.t_s.toPrecision(4))} s, ${stop}`);
        }
        this.pendingRows.push(row);
      }
    }
    if (this.playing) {
      this.rate.frames++;
      this.rate.steps += Math.max(0, f.step - before);
    }
    this.flush(!this.playing);
    return f;
  }

  private draw(f: Frame): void {
    const b = this.backend;
    if (b) drawFrame(this.canvas, this.overlay, f, b.nx, b.ny);
  }

  private drawLines(f: Frame | null): void {
    const b = this.backend;
    drawLines(this.overlay, f, b?.nx ?? 1, b?.ny ?? 1);
  }

  /** Hands the store what happened since the last update (FrameLoop.storeDue). */
  private flush(force: boolean): void {
    const now = performance.now();
    if (!this.loop.storeDue(force, now)) return;
    const f = this.lastFrame;
    if (!f) return;
    const st = usePage.getState();
    let history = st.history;
    for (const r of this.pendingRows) if (!history.length || r.t_s > history[history.length - 1]!.t_s) history = appendBounded(history, r);
    this.pendingRows = [];
    const secs = (now - this.rate.t0) / 1000;
    const rates = this.playing && secs > 0.5 ? { stepsPerSecond: this.rate.steps / secs, framesPerSecond: this.rate.frames / secs } : {};
    if (this.playing && secs > 2) this.rate = { t0: now, frames: 0, steps: 0 };
    usePage.setState({ step: f.step, t_s: f.t_s, scale: f.scale, history, latest: history.at(-1) ?? st.latest, ...rates });
  }

  private fail(e: unknown, gen: number): void {
    if (gen !== this.gen) return;
    this.loop.playing = false;
    reportUnlessLost(this.backend?.lost, () => gen === this.gen, () => {
      usePage.setState({ status: "error", error: `The run stopped: ${message(e)}. Reset to start again; your settings are kept.` });
    });
  }

  private async keepCheckpoint(gen: number): Promise<void> {
    const b = this.backend;
    if (!b?.checkpoint || !this.loop.checkpointDue()) return;
    const cp = await b.checkpoint();
    if (gen === this.gen) this.saved = { cp, t_s: sampleTime(cp.step, b.dt_s) };
  }

  private watchLoss(b: SimBackend): void {
    void b.lost?.then((reason) => {
      if (this.backend === b) void this.recover(reason);
    });
  }

  /**
   * The GPU device was lost: a new device, the same scenario, the last checkpoint; the run goes on from there
   * (or from the start when none was kept). Where no new device comes, the CPU worker takes the run over on the
   * same grid from the same checkpoint (slower, nothing lost); later runs on this page start on the CPU.
   */
  private async recover(reason: string): Promise<void> {
    const gen = ++this.gen;
    const wasPlaying = this.playing || usePage.getState().status === "running";
    this.loop.playing = false;
    this.backend?.destroy();
    this.backend = null;
    const saved = this.saved;
    const s = usePage.getState().running;
    const at = saved ? `its checkpoint at t = ${Number(saved.t_s.toPrecision(4))} s` : "the start";
    usePage.setState({ status: "starting", banner: `The GPU device was lost (${reason}). Resuming from ${at} on a new device…` });
    let b: SimBackend;
    let where = "on a new device";
    try {
      b = await this.factories.gpu(s);
    } catch (gpuError) {
      if (gen !== this.gen) return;
      this.gpuFailure = `the GPU device was lost (${reason}) and no new one could be made: ${message(gpuError)}`;
      usePage.setState({ banner: `The GPU device was lost (${reason}) and no new one could be made (${message(gpuError)}). Resuming from ${at} on the CPU…` });
      try {
        b = await this.factories.cpu(s);
      } catch (cpuError) {
        if (gen !== this.gen) return;
        usePage.setState({
          status: "error",
          error: `The GPU device was lost (${reason}); no new one could be made (${message(gpuError)}) and the CPU worker could not start (${message(cpuError)}).`,
        });
        return;
      }
      where = `on the CPU reference solver in a Web Worker, same ${s.grid.nx} × ${s.grid.ny} grid (no new GPU device could be made: ${message(gpuError)}). ` +
        `It is slower; new runs on this page use the CPU, on grids of at most ${CPU_FALLBACK_CELLS} cells`;
    }
    if (gen !== this.gen) { b.destroy(); return; }
    this.backend = b;
    this.watchLoss(b);
    this.catchUp(s);
    this.lastFrame = null;
    this.pendingRows = [];
    const keep = saved?.t_s ?? -1;
    usePage.setState({ history: usePage.getState().history.filter((r) => r.t_s <= keep + 1e-9), backend: { kind: b.kind, label: b.label } });
    try {
      if (saved) await b.restore?.(saved.cp);
      await this.runFrame(0, true, gen);
    } catch (e) {
      this.fail(e, gen);
      return;
    }
    if (gen !== this.gen) return;
    usePage.setState({ status: "paused", banner: `The GPU device was lost (${reason}); the run resumed from ${at} ${where}.` });
    if (wasPlaying) this.play();
  }
}

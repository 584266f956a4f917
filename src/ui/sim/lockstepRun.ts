/**
 * The one lifecycle of a live run of one or more panes, without React: the page's run (RunController, one pane) and
 * the side-by-side comparison (CompareController, two to four) are both this. It builds a backend per pane (the GPU
 * first, the CPU worker where WebGPU is missing), steps them in lock-step (each frame advances every pane by the same
 * number of steps, and the next frame waits for all of them), draws each on its own canvas, hands the store throttled
 * updates, keeps a checkpoint every few seconds while a GPU run plays, and after a lost GPU device resumes every
 * pane from that checkpoint on a new device, or, where none comes, on the CPU worker on the same grid.
 * What the store is and what its messages say is the subclass's (the abstract members below).
 */
import { sampleTime, type SeriesRow } from "../../model/metrics.ts";
import type { Scenario } from "../../model/scenario.ts";
import { runStopReason } from "../../model/runStop.ts";
import type { RunCheckpoint as Checkpoint } from "./types.ts";
import { timeText } from "../text.ts";
import { framingActions, useFraming, type FramedRun } from "../state/framingStore.ts";
import { drawFrame } from "./drawFrame.ts";
import { panesWindow, type FieldWindow } from "./framing.ts";
import { FrameLoop, message, reportUnlessLost } from "./frameLoop.ts";
import type { ClipAdvance } from "./recordClip.ts";
import { isDefaultGrid, onGrid, runPiece, type BackendFactories, type RunPlace } from "./runRules.ts";
import type { FieldLayer, Frame, SimBackend } from "./types.ts";
import type { LifeStatus, LossStage, RunActions, RunPane, RunWords } from "./runWords.ts";

export type { LifeStatus, LossStage, RunActions, RunPane, RunWords } from "./runWords.ts";

export abstract class LockstepRun {
  protected panes: RunPane[] = [];
  /** A restart (or a lost device, or destroy) makes a new generation: work of an older one is dropped. */
  protected gen = 0;
  protected readonly loop = new FrameLoop({
    live: (gen) => gen === this.gen && this.panes.length > 0,
    frame: (withMetrics, gen) => this.frame(this.speed(), withMetrics, gen),
    finish: async (gen) => {
      await this.frame(0, true, gen);
      // The end's state, for a device lost after it: the run resumes there, done, its whole history kept.
      await this.keepCheckpoint(gen, true);
      if (gen === this.gen) this.markDone();
    },
    flush: (force) => this.flush(force),
    keepCheckpoint: (gen) => this.keepCheckpoint(gen),
    showPaused: () => this.showPaused(),
    fail: (e, gen) => this.fail(e, gen),
    // A last frame that read no samples back (every other frame does) leaves some on the GPU.
    drain: async (gen) => { await this.frame(0, true, gen); },
    ended: (gen) => {
      if (!this.redrawPending) return;
      this.redrawPending = false;
      if (gen === this.gen && !this.playing) void this.redraw();
    },
  });
  private canvases: { canvas: HTMLCanvasElement | null; overlay: HTMLCanvasElement | null }[] = [];
  /** Frames asked of the backends so far: a frame that a newer one overtook is not drawn. */
  private frameSeq = 0;
  /** A redraw asked for while the loop was winding down after a pause: the loop does it when it ends. */
  private redrawPending = false;
  /** The loop was playing when its frame failed (a lost device resumes play; see recover). */
  private failedWhilePlaying = false;
  /** Why WebGPU failed for this run, once it has: later starts go to the CPU at once. */
  protected gpuFailure: string | null = null;
  /** The panes' last common checkpoint (every CHECKPOINT_MS while a GPU run plays), to resume from after a lost device. */
  private saved: { cps: Checkpoint[]; t_s: number } | null = null;

  /** The window every pane shows (sim/framing.ts): the front of the tallest deposit among them, or null (whole cell). */
  private view: FieldWindow | null = null;

  constructor(protected readonly factories: BackendFactories, private readonly actions: RunActions, private readonly framed: FramedRun = "page") {
    // "Whole cell" turned on or off: every pane is drawn again in its new window.
    useFraming.subscribe((st, was) => { if (st.whole !== was.whole) this.reframe(); });
  }

  /** The panes' common window for their frames now, told to the framing store; the panes are drawn in it. */
  private frameWindow(): FieldWindow | null {
    const b = this.panes[0]?.backend;
    const view = b && !useFraming.getState().whole
      ? panesWindow(this.panes.map((p) => p.frame?.pixels ?? null), b.nx, b.ny, this.runningScenarios()[0]?.grid.dx_um ?? 0)
      : null;
    this.view = view;
    framingActions.setWindow(this.framed, view);
    return view;
  }

  /** Draws every pane's frame again in the window the framing asks for now. */
  private reframe(): void {
    const view = this.frameWindow();
    for (const p of this.panes) drawFrame(p.canvas, p.overlay, p.frame, p.backend.nx, p.backend.ny, view);
  }

  // ---- what the subclass says: its store and its words ----
  protected abstract speed(): number;
  protected abstract layer(): FieldLayer;
  /** The store's status now. */
  protected abstract status(): string;
  /** The scenarios the panes run (the CPU fallback's grid included), for the stop rule and a rebuild. */
  protected abstract runningScenarios(): readonly Scenario[];
  /** A note for the whole run (the CPU fallback, a lost device). */
  protected abstract note(text: string): void;
  /** Hands the store every pane's frame and samples since its last update (takeUpdates). */
  protected abstract publish(now: number): void;
  /** The words of a run that stopped early at sample `row` of pane `k`. */
  protected abstract stopText(k: number, row: SeriesRow, stop: string): string;
  /** WebGPU failed at the start and the CPU worker runs `small` instead of `asked`. */
  protected abstract fellBack(asked: readonly Scenario[], small: readonly Scenario[], gpuError: string): void;
  protected abstract readonly words: RunWords;
  /**
   * Whether the panes' grid was asked for (the address, a grid control, a scenario file): an asked grid runs as asked;
   * the app's default grid that nobody asked for runs smaller on a slow adapter (runRules.ts runPiece).
   */
  protected gridAsked(): boolean {
    return true;
  }
  /** The scenario pane `s` runs at `place` (runRules.ts runPiece: the CPU worker's cap, the default grid's piece). */
  private piece(s: Scenario, place: RunPlace): Scenario {
    return runPiece(s, place, isDefaultGrid(s, this.gridAsked()));
  }
  /** The GPU adapter `label` (at `place`) runs `run` for `asked` (the same, or a smaller piece where piece says). */
  protected onAdapter(_asked: readonly Scenario[], _run: readonly Scenario[], _place: RunPlace, _label: string): void {}
  /** The backends are in place (their first frame comes next) and the store knows where they run. */
  protected adopted(): void {}
  /** Play was pressed and the loop starts. */
  protected willPlay(): void {}
  /** A frame advanced the panes by `steps` while playing. */
  protected counted(_steps: number): void {}

  protected get playing(): boolean {
    return this.loop.playing;
  }

  /** The backends' grid (the CPU fallback's may be smaller than the one asked), or null before one runs. */
  get grid(): { nx: number; ny: number } | null {
    const b = this.panes[0]?.backend;
    return b ? { nx: b.nx, ny: b.ny } : null;
  }

  /** The canvases of pane `k` (its field and the current-line overlay above it); its last frame is drawn at once. */
  setCanvas(k: number, canvas: HTMLCanvasElement | null, overlay: HTMLCanvasElement | null): void {
    this.canvases[k] = { canvas, overlay };
    const p = this.panes[k];
    if (p) {
      p.canvas = canvas;
      p.overlay = overlay;
      drawFrame(canvas, overlay, p.frame, p.backend.nx, p.backend.ny, this.view);
    }
  }

  play(): void {
    if (!this.panes.length || this.playing || this.status() === "done") return;
    this.willPlay();
    this.show("running");
    this.loop.play(this.gen);
  }

  /**
   * Stops after the frame in flight. The store says "paused" only once that frame has landed, so the charts then
   * hold every sample the run will show and Step works at once.
   */
  pause(): void {
    this.loop.pause();
  }

  toggle(): void {
    if (this.playing) this.pause(); else this.play();
  }

  /** One coupled step of every pane while paused. */
  async stepOnce(): Promise<void> {
    if (this.playing || this.loop.looping || !this.panes.length) return;
    await this.guarded(() => this.frame(1, true, this.gen), this.gen);
  }

  /** Redraws the current state with another layer (while playing, the next frame does). */
  async redraw(): Promise<void> {
    if (!this.panes.length || this.playing) return;
    if (this.loop.looping) { this.redrawPending = true; return; }
    await this.guarded(() => this.frame(0, true, this.gen), this.gen);
  }

  /**
   * For clip recording: pauses, waits for a winding-down loop to end, then advances every pane by `steps` steps
   * (metrics included) and draws them before resolving. "end" where that frame reached the run's last step (the
   * run is then done), "gone" where nothing runs (or a restart overtook it).
   */
  async advanceForRecording(steps: number): Promise<ClipAdvance> {
    this.pause();
    while (this.loop.looping) await new Promise((r) => setTimeout(r, 5));
    if (!this.panes.length) return "gone";
    const gen = this.gen;
    const done = await this.guarded(() => this.frame(Math.max(0, Math.floor(steps)), true, gen), gen);
    if (done === null || gen !== this.gen) return "gone";
    if (!done) return "ok";
    await this.keepCheckpoint(gen, true);
    if (gen !== this.gen) return "gone";
    this.markDone();
    return "end";
  }

  destroy(): void {
    this.halt();
  }

  /** Stops and frees every pane (a new generation: work in flight is dropped). */
  protected halt(): void {
    this.gen++;
    this.loop.playing = false;
    this.failedWhilePlaying = false;
    this.dispose();
  }

  private dispose(): void {
    for (const p of this.panes) p.backend.destroy();
    this.panes = [];
  }

  /**
   * Builds one backend per scenario (on the GPU, or where it fails, in CPU workers on the fallback's grid) and shows
   * their first frames; plays on where `play`.
   */
  protected async startPanes(scenarios: readonly Scenario[], play: boolean): Promise<void> {
    this.halt();
    const gen = this.gen;
    this.saved = null;
    let backends: SimBackend[];
    try {
      if (this.gpuFailure !== null) throw new Error(this.gpuFailure);
      const place = (await this.factories.gpuPlace?.()) ?? "hardware";
      if (gen !== this.gen) return;
      const run = scenarios.map((s) => this.piece(s, place));
      backends = await this.build(run, "gpu");
      if (gen === this.gen) this.onAdapter(scenarios, run, place, backends[0]!.label);
    } catch (gpuError) {
      if (gen !== this.gen) return;
      this.gpuFailure = message(gpuError);
      try {
        const small = scenarios.map((s) => this.piece(s, "cpu"));
        backends = await this.build(small, "cpu");
        if (gen === this.gen) this.fellBack(scenarios, small, message(gpuError));
      } catch (cpuError) {
        if (gen !== this.gen) return;
        this.actions.runFailed(this.words.neither(message(gpuError), message(cpuError)));
        return;
      }
    }
    if (gen !== this.gen) { backends.forEach((b) => b.destroy()); return; }
    if (!(await this.adopt(backends, gen))) return;
    this.show("paused");
    if (play) this.play();
  }

  private async build(scenarios: readonly Scenario[], kind: "gpu" | "cpu"): Promise<SimBackend[]> {
    const made: SimBackend[] = [];
    try {
      for (const s of scenarios) made.push(await this.factories[kind](s));
    } catch (e) {
      made.forEach((b) => b.destroy());
      throw e;
    }
    const [first] = made;
    if (made.some((b) => b.steps !== first!.steps || b.dt_s !== first!.dt_s || b.nx !== first!.nx || b.ny !== first!.ny)) {
      made.forEach((b) => b.destroy());
      throw new Error("the panes' runs differ in grid or time step, so they cannot step in lock-step");
    }
    return made;
  }

  /**
   * The backends become the panes (restored from `restore`, one checkpoint each) and show their first frame. Whether
   * they run on (false: a restart overtook them, or their first frame failed), and "done" where they are at the run's end.
   */
  private async adopt(backends: SimBackend[], gen: number, restore?: Checkpoint[]): Promise<boolean | "done"> {
    this.panes = backends.map((backend, k) => ({ backend, canvas: this.canvases[k]?.canvas ?? null, overlay: this.canvases[k]?.overlay ?? null, frame: null, pending: [] }));
    if (restore) this.loop.checkpointKept();
    for (const b of backends) void b.lost?.then((reason) => { if (this.panes.some((p) => p.backend === b)) void this.recover(reason); });
    const ok = await this.guarded(async () => {
      const b = backends[0]!;
      this.actions.runBackend({ kind: b.kind, label: b.label }, b.steps);
      this.adopted();
      if (restore) for (const [k, b] of backends.entries()) await b.restore?.(restore[k]!);
      return this.frame(0, true, gen);
    }, gen);
    return ok !== null && gen === this.gen && (ok ? "done" : true);
  }

  /**
   * One lock-step frame: every pane advances `steps` steps, then all are drawn together. Resolves with whether the
   * run is done, or null when a restart overtook it; throws where a pane's run stopped early (its last finite
   * sample kept: the charts end at it).
   */
  private async frame(steps: number, withMetrics: boolean, gen: number): Promise<boolean | null> {
    const panes = this.panes;
    if (!panes.length) return null;
    const layer = this.layer();
    const before = panes[0]!.frame?.step ?? 0;
    const seq = ++this.frameSeq;
    const frames = await Promise.all(panes.map((p) => p.backend.frame(steps, layer, withMetrics)));
    if (gen !== this.gen) return null;
    const step = frames[0]!.step;
    // A protocol's pane whose last strip ended at its cut-off is done before the others, which go on.
    const going = frames.filter((f) => !f.done);
    if (going.some((f) => f.step !== going[0]!.step)) throw new Error("the panes fell out of lock-step");
    const scenarios = this.runningScenarios();
    let stopped: string | null = null;
    // Two redraws in quick succession (layer clicks) can finish out of order: the older one is not drawn.
    const drawn = seq === this.frameSeq;
    if (drawn) frames.forEach((f, k) => { panes[k]!.frame = f; });
    const view = drawn ? this.frameWindow() : null;
    frames.forEach((f, k) => {
      const p = panes[k]!;
      if (drawn) drawFrame(p.canvas, p.overlay, f, p.backend.nx, p.backend.ny, view);
      const s = scenarios[k];
      // The rule needs only the mode and the grid that runs (the backend's: the CPU fallback's may be smaller).
      const rule = s ? { mode: s.mode, grid: { ...s.grid, nx: p.backend.nx, ny: p.backend.ny } } : null;
      for (const row of f.rows) {
        const stop = rule ? runStopReason(row, rule) : null;
        if (stop) {
          if (Object.values(row).every(Number.isFinite)) p.pending.push(row);
          stopped ??= this.stopText(k, row, stop);
          break;
        }
        p.pending.push(row);
      }
    });
    if (stopped !== null) {
      this.flush(true);
      throw new Error(stopped);
    }
    if (this.playing) this.counted(Math.max(0, step - before));
    this.flush(!this.playing);
    return frames.every((f) => f.done);
  }

  /** Every pane's frame on screen and the samples since the last call (the pane's pending rows are then taken). */
  protected takeUpdates(): ({ step: number; t_s: number; rows: SeriesRow[]; frame: Frame } | null)[] {
    return this.panes.map((p) => {
      if (!p.frame) return null;
      const rows = p.pending;
      p.pending = [];
      return { step: p.frame.step, t_s: p.frame.t_s, rows, frame: p.frame };
    });
  }

  /** Hands the store what happened since the last update (FrameLoop.storeDue). */
  private flush(force: boolean): void {
    const now = performance.now();
    if (this.loop.storeDue(force, now)) this.publish(now);
  }

  private show(status: LifeStatus): void {
    if (status === "running") this.actions.runPlaying();
    else if (status === "paused") this.actions.runPaused();
    else this.actions.runDone();
  }

  /** A lost device's message at `stage`, and the status that goes with it. */
  private lost(stage: LossStage, text: string): void {
    if (stage === "failed") { this.actions.runFailed(text); return; }
    if (stage === "resuming") this.actions.runResuming();
    if (stage === "resumed") this.actions.runPaused();
    this.note(text);
  }

  private showPaused(): void {
    if (this.panes.length && !this.playing && this.status() === "running") this.show("paused");
  }

  /** The run reached its last step: the store gets its last samples and says "done". */
  private markDone(): void {
    this.flush(true);
    this.show("done");
  }

  private async guarded<T>(fn: () => Promise<T>, gen: number): Promise<T | null> {
    try {
      return await fn();
    } catch (e) {
      this.fail(e, gen);
      return null;
    }
  }

  private fail(e: unknown, gen: number): void {
    if (gen !== this.gen) return;
    // A lost device fails the frame in flight before its loss handler runs: that handler resumes play if it was on.
    if (this.loop.playing) this.failedWhilePlaying = true;
    this.loop.playing = false;
    reportUnlessLost(this.panes.find((p) => p.backend.lost)?.backend.lost, () => gen === this.gen, () => this.actions.runFailed(this.words.stopped(message(e))));
  }

  private async keepCheckpoint(gen: number, force = false): Promise<void> {
    const panes = this.panes;
    if (!panes.length || !panes.every((p) => p.backend.checkpoint) || !(this.loop.checkpointDue() || force)) return;
    const cps = await Promise.all(panes.map((p) => p.backend.checkpoint!()));
    if (gen === this.gen && cps.every((c) => c.step === cps[0]!.step)) this.saved = { cps, t_s: sampleTime(cps[0]!.step, panes[0]!.backend.dt_s) };
  }

  /**
   * The GPU device was lost: new backends for every pane, each restored from the panes' last checkpoint (or from the
   * start where none was kept). Where no new device comes, the CPU worker takes every pane over on the same grid from
   * the same checkpoint (slower, nothing lost); later starts of this run go to the CPU.
   */
  private async recover(reason: string): Promise<void> {
    const wasPlaying = this.playing || this.failedWhilePlaying || this.status() === "running";
    const saved = this.saved;
    // The panes' own grids: a smaller piece than the one asked (runPiece) resumes on that piece.
    const grids = this.panes.map((p) => ({ nx: p.backend.nx, ny: p.backend.ny }));
    this.halt();
    const gen = this.gen;
    this.saved = saved;
    const scenarios = this.runningScenarios().map((s, k) => (grids[k] && s.mode === "2d" ? onGrid(s, grids[k].nx, grids[k].ny) : s));
    const w = this.words;
    const at = saved ? `${w.whose} checkpoint at t = ${timeText(saved.t_s)} s` : "the start";
    const lost = `The GPU device was lost (${reason})`;
    this.lost("resuming", `${lost}. ${w.resuming} from ${at} on a new device…`);
    let backends: SimBackend[];
    let where = "on a new device";
    try {
      backends = await this.build(scenarios, "gpu");
    } catch (e) {
      if (gen !== this.gen) return;
      const gpuError = message(e);
      this.gpuFailure = `the GPU device was lost (${reason}) and no new one could be made: ${gpuError}`;
      this.lost("cpu", `${lost} and no new one could be made (${gpuError}). ${w.resuming} from ${at} on the CPU…`);
      try {
        backends = await this.build(scenarios, "cpu");
      } catch (cpuError) {
        if (gen !== this.gen) return;
        this.lost("failed", `${lost}; no new one could be made (${gpuError}) and ${w.workers} could not start (${message(cpuError)}).`);
        return;
      }
      const { nx, ny } = backends[0]!;
      where = `on the CPU reference solver in ${w.inWorkers}, same ${nx} × ${ny} grid (no new GPU device could be made: ${gpuError}). It is slower${w.later}`;
    }
    if (gen !== this.gen) { backends.forEach((b) => b.destroy()); return; }
    this.actions.keepHistoryUntil(saved?.t_s ?? -1);
    const adopted = await this.adopt(backends, gen, saved?.cps);
    if (!adopted) return;
    this.lost("resumed", `${lost}; ${w.resumed} from ${at} ${where}.`);
    // A run lost after its end resumes at its end (finish keeps that checkpoint), done, with its history whole.
    if (adopted === "done") this.markDone();
    else if (wasPlaying) this.play();
  }
}

/**
 * The side-by-side comparison (no React): two to four backends with different coatings and the same seed, grid,
 * operation and electrolyte, stepped in lock-step (each frame advances every pane by the same number of steps,
 * and the next frame waits for all of them), each drawn on its own canvas; the store hears from it throttled.
 * A lost GPU device rebuilds every pane on a new device from the panes' common checkpoint.
 */
import { getPreset } from "../../model/presets.ts";
import { sampleTime, type SeriesRow } from "../../model/metrics.ts";
import { parseScenario, type Scenario } from "../../model/scenario.ts";
import type { Checkpoint } from "../../reference/solver.ts";
import { COMPARE_MAX, COMPARE_MIN, useCompare, type ComparePane } from "../compareStore.ts";
import { appendBounded } from "../store.ts";
import { fallbackGridText, fallbackScenario, type BackendFactories } from "./controller.ts";
import { runStopReason } from "../../model/runStop.ts";
import { drawFrame } from "./drawFrame.ts";
import { FrameLoop, message, reportUnlessLost } from "./frameLoop.ts";
import type { FieldLayer, Frame, SimBackend } from "./types.ts";
import type { ClipAdvance } from "./recordClip.ts";

/** The panes' scenarios: `base` with each coating's own values (operation, electrolyte, grid and seed shared). */
export function compareScenarios(base: Scenario, presets: readonly string[]): Scenario[] {
  if (presets.length < COMPARE_MIN || presets.length > COMPARE_MAX) throw new Error(`pick ${COMPARE_MIN} to ${COMPARE_MAX} coatings to compare (${presets.length} picked)`);
  return presets.map((id) => {
    if (!getPreset(id)) throw new Error(`unknown coating "${id}"`);
    return parseScenario({ ...base, coating: { preset: id } });
  });
}

interface Pane {
  backend: SimBackend;
  canvas: HTMLCanvasElement | null;
  overlay: HTMLCanvasElement | null;
  frame: Frame | null;
  pending: SeriesRow[];
}

export class CompareController {
  private panes: Pane[] = [];
  private canvases: { canvas: HTMLCanvasElement | null; overlay: HTMLCanvasElement | null }[] = [];
  private gen = 0;
  private readonly loop = new FrameLoop({
    live: (gen) => gen === this.gen && this.panes.length > 0,
    frame: (withMetrics, gen) => this.frame(useCompare.getState().speed, withMetrics, gen),
    finish: async (gen) => {
      await this.frame(0, true, gen);
      this.markDone();
    },
    flush: (force) => this.flush(force),
    keepCheckpoint: (gen) => this.keepCheckpoint(gen),
    showPaused: () => this.showPaused(),
    fail: (e, gen) => this.fail(e, gen),
    // A last frame that read no samples back leaves some on the GPU: the charts get them before "paused".
    drain: async (gen) => { await this.frame(0, true, gen); },
  });
  private saved: { cps: Checkpoint[]; t_s: number } | null = null;

  constructor(private readonly factories: BackendFactories) {}

  private get playing(): boolean {
    return this.loop.playing;
  }

  /** Builds one backend per coating (all on the GPU, or all in CPU workers) and shows their first frames. */
  async start(base: Scenario, presets: readonly string[], play = false): Promise<void> {
    const gen = ++this.gen;
    this.loop.playing = false;
    this.dispose();
    let scenarios: Scenario[];
    try {
      scenarios = compareScenarios(base, presets);
    } catch (e) {
      useCompare.setState({ status: "error", error: `The comparison cannot start: ${message(e)}.` });
      return;
    }
    useCompare.setState({
      status: "starting", scenarios, error: null, note: null, backend: null, scale: null,
      panes: scenarios.map((s) => ({ preset: s.coating.preset, name: getPreset(s.coating.preset)!.name, step: 0, t_s: 0, history: [] })),
    });
    let backends: SimBackend[];
    let note: string | null = null;
    try {
      backends = await this.build(scenarios, "gpu");
    } catch (gpuError) {
      if (gen !== this.gen) return;
      try {
        const small = scenarios.map(fallbackScenario);
        backends = await this.build(small, "cpu");
        // The panel's grid, widths and clip captions then describe what runs.
        if (gen === this.gen) useCompare.setState({ scenarios: small });
        note = `WebGPU is not available here (${message(gpuError)}): the panes run the CPU reference solver in Web Workers ${fallbackGridText(scenarios[0]!, small[0]!)}.`;
      } catch (cpuError) {
        useCompare.setState({ status: "error", error: `Neither WebGPU (${message(gpuError)}) nor the CPU workers (${message(cpuError)}) could start the comparison.` });
        return;
      }
    }
    if (gen !== this.gen) { backends.forEach((b) => b.destroy()); return; }
    await this.adopt(backends, gen, note, play);
  }

  /** The canvases of pane `k` (the field and its current-line overlay); the last frame is drawn at once. */
  setCanvas(k: number, canvas: HTMLCanvasElement | null, overlay: HTMLCanvasElement | null): void {
    this.canvases[k] = { canvas, overlay };
    const p = this.panes[k];
    if (p) {
      p.canvas = canvas;
      p.overlay = overlay;
      drawFrame(canvas, overlay, p.frame, p.backend.nx, p.backend.ny);
    }
  }

  get grid(): { nx: number; ny: number } | null {
    const b = this.panes[0]?.backend;
    return b ? { nx: b.nx, ny: b.ny } : null;
  }

  play(): void {
    if (!this.panes.length || this.playing || useCompare.getState().status === "done") return;
    useCompare.setState({ status: "running" });
    this.loop.play(this.gen);
  }

  /** Stops after the frame in flight; the panel says "paused" once that frame has landed (FrameLoop.pause). */
  pause(): void {
    this.loop.pause();
  }

  private showPaused(): void {
    if (!this.playing && useCompare.getState().status === "running") useCompare.setState({ status: "paused" });
  }

  toggle(): void {
    if (this.playing) this.pause(); else this.play();
  }

  async stepOnce(): Promise<void> {
    if (this.playing || this.loop.looping || !this.panes.length) return;
    await this.guarded(() => this.frame(1, true, this.gen), this.gen);
  }

  /** Another layer on every pane (while playing, the next frame shows it). */
  async setLayer(layer: FieldLayer): Promise<void> {
    useCompare.setState({ layer });
    if (this.playing || this.loop.looping || !this.panes.length) return;
    await this.guarded(() => this.frame(0, false, this.gen), this.gen);
  }

  /** For clip recording: pauses, then advances every pane by `steps` and draws them before resolving (see RunController's). */
  async advanceForRecording(steps: number): Promise<ClipAdvance> {
    this.pause();
    while (this.loop.looping) await new Promise((r) => setTimeout(r, 5));
    if (!this.panes.length) return "gone";
    const gen = this.gen;
    const done = await this.guarded(() => this.frame(Math.max(0, Math.floor(steps)), true, gen), gen);
    if (done === null || gen !== this.gen) return "gone";
    if (!done) return "ok";
    this.markDone();
    return "end";
  }

  /** Every pane reached its last step: the store gets their last samples and says "done". */
  private markDone(): void {
    this.flush(true);
    useCompare.setState({ status: "done" });
  }

  /** The pane canvases with their current frame's time and latest metrics (for the clip's captions). */
  paneViews(): { canvas: HTMLCanvasElement | null; overlay: HTMLCanvasElement | null; t_s: number; latest: SeriesRow | null }[] {
    const st = useCompare.getState();
    return this.panes.map((p, k) => ({ canvas: p.canvas, overlay: p.overlay, t_s: p.frame?.t_s ?? 0, latest: st.panes[k]?.history.at(-1) ?? null }));
  }

  /** Stops and frees every pane (the picks and the store's last state stay). */
  stop(): void {
    this.gen++;
    this.loop.playing = false;
    this.dispose();
    useCompare.setState({ status: "idle", backend: null });
  }

  destroy(): void {
    this.gen++;
    this.loop.playing = false;
    this.dispose();
  }

  private dispose(): void {
    for (const p of this.panes) p.backend.destroy();
    this.panes = [];
    this.saved = null;
  }

  private async build(scenarios: Scenario[], kind: "gpu" | "cpu"): Promise<SimBackend[]> {
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

  private async adopt(backends: SimBackend[], gen: number, note: string | null, play: boolean, restore?: Checkpoint[]): Promise<void> {
    if (restore) for (const [k, b] of backends.entries()) await b.restore?.(restore[k]!);
    this.panes = backends.map((backend, k) => ({ backend, canvas: this.canvases[k]?.canvas ?? null, overlay: this.canvases[k]?.overlay ?? null, frame: null, pending: [] }));
    this.loop.checkpointKept();
    for (const b of backends) void b.lost?.then((reason) => { if (this.panes[0]?.backend === backends[0]) void this.recover(reason); });
    const b = backends[0]!;
    useCompare.setState({ backend: { kind: b.kind, label: b.label }, steps: b.steps });
    const ok = await this.guarded(() => this.frame(0, true, gen), gen);
    if (ok === null || gen !== this.gen) return;
    useCompare.setState({ status: "paused", ...(note ? { note } : {}) });
    if (play) this.play();
  }

  /**
   * One lock-step frame: every pane advances `steps` steps, then all are drawn together. Resolves with whether
   * the run is done, or null when a restart overtook it.
   */
  private async frame(steps: number, withMetrics: boolean, gen: number): Promise<boolean | null> {
    const panes = this.panes;
    if (!panes.length) return null;
    const { layer } = useCompare.getState();
    const frames = await Promise.all(panes.map((p) => p.backend.frame(steps, layer, withMetrics)));
    if (gen !== this.gen) return null;
    const step = frames[0]!.step;
    if (frames.some((f) => f.step !== step)) throw new Error("the panes fell out of lock-step");
    frames.forEach((f, k) => {
      const p = panes[k]!;
      p.frame = f;
      drawFrame(p.canvas, p.overlay, f, p.backend.nx, p.backend.ny);
      const s = useCompare.getState().scenarios[k]; // the panes' scenarios as they run (the fallback's grid included)
      for (const row of f.rows) {
        const stop = s ? runStopReason(row, s) : null;
        if (stop) throw new Error(`the ${useCompare.getState().panes[k]?.name ?? "pane"} run stopped at t = ${Number(row.t_s.toPrecision(4))} s: ${stop}`);
        p.pending.push(row);
      }
    });
    this.flush(!this.playing);
    return frames.every((f) => f.done);
  }

  /** Hands the store every pane's frames since the last update (FrameLoop.storeDue). */
  private flush(force: boolean): void {
    if (!this.loop.storeDue(force)) return;
    const st = useCompare.getState();
    const panes: ComparePane[] = st.panes.map((pane, k) => {
      const p = this.panes[k];
      if (!p?.frame) return pane;
      let history = pane.history;
      for (const r of p.pending) if (!history.length || r.t_s > history[history.length - 1]!.t_s) history = appendBounded(history, r);
      p.pending = [];
      return { ...pane, step: p.frame.step, t_s: p.frame.t_s, history };
    });
    useCompare.setState({ panes, scale: this.panes[0]?.frame?.scale ?? st.scale });
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
    this.loop.playing = false;
    reportUnlessLost(this.panes.find((p) => p.backend.lost)?.backend.lost, () => gen === this.gen, () => {
      useCompare.setState({ status: "error", error: `The comparison stopped: ${message(e)}. Start it again; the picks are kept.` });
    });
  }

  private async keepCheckpoint(gen: number): Promise<void> {
    const panes = this.panes;
    if (!panes.every((p) => p.backend.checkpoint) || !this.loop.checkpointDue()) return;
    const cps = await Promise.all(panes.map((p) => p.backend.checkpoint!()));
    if (gen === this.gen && cps.every((c) => c.step === cps[0]!.step)) this.saved = { cps, t_s: sampleTime(cps[0]!.step, panes[0]!.backend.dt_s) };
  }

  /** The GPU device was lost: new backends for every pane, each restored from the panes' common checkpoint. */
  private async recover(reason: string): Promise<void> {
    const gen = ++this.gen;
    const wasPlaying = this.playing || useCompare.getState().status === "running";
    this.loop.playing = false;
    const saved = this.saved;
    for (const p of this.panes) p.backend.destroy();
    this.panes = [];
    const st = useCompare.getState();
    const at = saved ? `their checkpoint at t = ${Number(saved.t_s.toPrecision(4))} s` : "the start";
    useCompare.setState({ status: "starting", note: `The GPU device was lost (${reason}). Resuming every pane from ${at} on a new device…` });
    let backends: SimBackend[];
    try {
      backends = await this.build(st.scenarios, "gpu");
    } catch (e) {
      if (gen !== this.gen) return;
      useCompare.setState({ status: "error", error: `The GPU device was lost (${reason}) and no new one could be made (${message(e)}). Start the comparison again to run it on the CPU.` });
      return;
    }
    if (gen !== this.gen) { backends.forEach((b) => b.destroy()); return; }
    const keep = saved?.t_s ?? -1;
    useCompare.setState({ panes: useCompare.getState().panes.map((p) => ({ ...p, history: p.history.filter((r) => r.t_s <= keep + 1e-9) })) });
    this.saved = saved;
    await this.adopt(backends, gen, `The GPU device was lost (${reason}); every pane resumed from ${at} on a new device.`, wasPlaying, saved?.cps);
  }
}

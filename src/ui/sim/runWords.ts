/**
 * What a live run (sim/lockstepRun.ts) reports to and how it speaks: its panes, the store's actions for its
 * lifecycle, and the words of its messages (the page's run and the comparison each give their own). No React.
 */
import type { SeriesRow } from "../../model/metrics.ts";
import type { Frame, SimBackend } from "./types.ts";

export interface RunPane {
  backend: SimBackend;
  canvas: HTMLCanvasElement | null;
  overlay: HTMLCanvasElement | null;
  /** The frame on screen. */
  frame: Frame | null;
  /** Samples read back since the store last heard. */
  pending: SeriesRow[];
}

/** The statuses a store shows for the lifecycle (each store has its own action for each). */
export type LifeStatus = "paused" | "running" | "done";

/** A lost device's stages, each with its message: resuming, resuming on the CPU, failed, resumed. */
export type LossStage = "resuming" | "cpu" | "failed" | "resumed";

/** The actions of the store a run reports to: the page's (pageActions) and the comparison's (compareActions) both have them. */
export interface RunActions {
  runResuming(): void;
  runPaused(): void;
  runPlaying(): void;
  runDone(): void;
  runFailed(error: string): void;
  runBackend(backend: { kind: "gpu" | "cpu"; label: string }, steps: number): void;
  /** Drops the samples after `t_s` (a run resumed from a checkpoint there takes them again). */
  keepHistoryUntil(t_s: number): void;
}

/** How a run's messages name it and its CPU workers (the page's run: one; the comparison: every pane). */
export interface RunWords {
  /** "its" or "their": whose checkpoint. */
  whose: string;
  /** "Resuming" or "Resuming every pane". */
  resuming: string;
  /** "the run resumed" or "every pane resumed". */
  resumed: string;
  /** "a Web Worker" or "Web Workers". */
  inWorkers: string;
  /** "the CPU worker" or "the CPU workers". */
  workers: string;
  /** What follows "It is slower" where the CPU took over (later starts go to the CPU). */
  later: string;
  /** The error shown where the run stopped for `why`. */
  stopped(why: string): string;
  /** The error shown where neither backend could start. */
  neither(gpuError: string, cpuError: string): string;
}

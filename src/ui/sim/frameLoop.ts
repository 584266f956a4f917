/**
 * The play / pause / wind-down shape that every live run shares (lockstepRun.ts: the page's run and the comparison): one frame
 * per animation frame while playing, every other one with metrics; the store hears at most every STORE_MS while
 * playing; a checkpoint at most every CHECKPOINT_MS; and after Pause the loop finishes the frame in flight, hands
 * the store that frame, and only then says "paused". No React; what a frame is, is the host's.
 */

/** How often the store (and so the charts and read-outs) hears about a playing run. */
export const STORE_MS = 250;
/** How often a running GPU backend's whole state is copied back, to survive a lost device. */
export const CHECKPOINT_MS = 3000;

export const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/** What the loop asks of its host; `gen` names the run a call belongs to (a restart makes a new one). */
export interface LoopHost {
  /** Whether run `gen` is still the current one and has something to step. */
  live(gen: number): boolean;
  /** One playing frame (the host's speed): true when the run is done, false to go on, null when overtaken. */
  frame(withMetrics: boolean, gen: number): Promise<boolean | null>;
  /** The run reached its end: show its last state and say "done". */
  finish(gen: number): Promise<void>;
  /** Hands the store what happened since its last update (every STORE_MS unless forced: see storeDue). */
  flush(force: boolean): void;
  /** Keeps a checkpoint to resume from after a lost device (every CHECKPOINT_MS: see checkpointDue). */
  keepCheckpoint(gen: number): Promise<void>;
  /** Says "paused" where the store still says "running". */
  showPaused(): void;
  fail(e: unknown, gen: number): void;
  /** The loop has ended (wound down, done, overtaken or failed). */
  ended?(gen: number): void;
  /**
   * After a pause, when the last frame read no metrics back: a frame of no steps that does, so the charts hold every
   * sample taken before "paused" is said (inside the loop, so no other frame overlaps it).
   */
  drain?(gen: number): Promise<void>;
}

export class FrameLoop {
  playing = false;
  /** True from the first frame until the loop has wound down (a frame may be in flight). */
  looping = false;
  private frames = 0;
  private lastStore = 0;
  private lastSave = 0;

  constructor(private readonly host: LoopHost) {}

  /** Plays run `gen`: starts the loop, or lets one that is winding down go on. */
  play(gen: number): void {
    this.playing = true;
    if (!this.looping) void this.run(gen);
  }

  /** Stops after the frame in flight; "paused" is said once it has landed, so Step works at once. */
  pause(): void {
    this.playing = false;
    if (!this.looping) this.host.showPaused();
  }

  /** Whether the store is due an update (at most every STORE_MS unless forced); marks it done if so. */
  storeDue(force: boolean, now = performance.now()): boolean {
    if (!force && now - this.lastStore < STORE_MS) return false;
    this.lastStore = now;
    return true;
  }

  /** Whether a checkpoint is due (at most every CHECKPOINT_MS); marks it done if so. */
  checkpointDue(now = performance.now()): boolean {
    if (now - this.lastSave < CHECKPOINT_MS) return false;
    this.lastSave = now;
    return true;
  }

  /** Counts a checkpoint as just kept (a run that starts from one). */
  checkpointKept(now = performance.now()): void {
    this.lastSave = now;
  }

  private async run(gen: number): Promise<void> {
    const h = this.host;
    this.looping = true;
    try {
      let read = true;
      while (this.playing && h.live(gen)) {
        read = this.frames++ % 2 === 0;
        const done = await h.frame(read, gen);
        if (done === null) break;
        if (done) {
          this.playing = false;
          await h.finish(gen);
          break;
        }
        await h.keepCheckpoint(gen);
        await new Promise((r) => requestAnimationFrame(r));
      }
      // Wound down after a pause (a failure is fail()'s to report, and a lost device's to resume). A frame that
      // landed while still playing may not have reached the store (it is updated at most every STORE_MS while
      // playing): hand it over, so that the paused view shows the step the run is at.
      if (h.live(gen)) {
        if (!read) await h.drain?.(gen);
        h.flush(true);
        h.showPaused();
      }
    } catch (e) {
      h.fail(e, gen);
    } finally {
      this.looping = false;
      h.ended?.(gen);
    }
  }
}

/**
 * How long a failure on a GPU backend waits for its device's loss to explain it. The loss settles after the device's
 * queue has drained: on a software adapter under load that took over a second (a 256 x 128 grid in CI).
 */
export const LOSS_WAIT_MS = 5000;

/**
 * Reports a failure unless a lost device explains it: a lost device makes the pending reads fail first and its
 * loss handler resumes the run, so the report waits up to LOSS_WAIT_MS for the loss and is dropped if it comes (a
 * loss that comes even later clears the report: see runResuming).
 */
export function reportUnlessLost(lost: Promise<string> | undefined, stillCurrent: () => boolean, report: () => void): void {
  if (!lost) { report(); return; }
  const timeout = new Promise<null>((r) => setTimeout(() => r(null), LOSS_WAIT_MS));
  void Promise.race([lost, timeout]).then((reason) => {
    if (reason === null && stillCurrent()) report();
  });
}

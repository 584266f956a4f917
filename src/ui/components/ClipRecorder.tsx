/**
 * Clip recording: a frame-exact video of the field view, or of the side-by-side comparison, (MP4/H.264 or
 * WebM/VP9) with a caption overlay. What is recorded comes in as a ClipSource; this component holds the choices.
 */
import { useEffect, useRef, useState } from "react";
import { getPreset } from "../../model/presets.ts";
import { SERIES_META, type SeriesField } from "../../model/metrics.ts";
import { usePage } from "../state/pageStore.ts";
import { LAYER_NAMES } from "./FieldView.tsx";
import { fmt } from "../text.ts";
import { download } from "./ExportBar.tsx";
import type { RunController } from "../sim/runController.ts";
import { shownWidthUm } from "../sim/fieldRenderer.ts";
import {
  CLIP_METRICS, clipFrames, clipName, clipSize, clipSupport, ClipCancelled, recordClip, type ClipAdvance, type ClipFormat, type ClipPane, type ClipShape,
} from "../sim/recordClip.ts";
import { formulaText, labelText } from "../text.ts";
import { stepCaption } from "../stepBands.ts";
import { TITLE_CARD_SECONDS, titleCardOf, titleFrames, type TitleCard } from "../sim/clipCard.ts";

/** What a clip records: one pane (the field view) or several (the comparison), stepped by its own controller. */
export interface ClipSource {
  /** The cells of one pane, and how many panes lie side by side. */
  grid: { nx: number; ny: number };
  panes: number;
  /** False while the run is starting, stopped with an error, or done (nothing to record). */
  ready: boolean;
  /** True when the run has reached its end: the recorder says how to go on instead of recording a still. */
  done: boolean;
  advance: (steps: number) => Promise<ClipAdvance>;
  /** The panes of the frame just drawn, their captions showing `metrics`. */
  capture: (metrics: readonly SeriesField[]) => ClipPane[];
  /** The clip's file name. */
  name: (t0: number, t1: number, fps: number, format: ClipFormat) => string;
  /** The title card a clip of it may open with (coatings, current, electrolyte, principles). */
  titleCard: () => TitleCard | null;
  /** Called as a recording starts (recording pauses the run): what to call once it is saved, to play on if it was. */
  resumeAfter?: () => () => void;
}

/** The recorder of the field view. */
export function FieldClipRecorder({ controller }: { controller: RunController }) {
  return <ClipRecorder source={useFieldClipSource(controller)} />;
}

/** The field view as a clip source. */
function useFieldClipSource(controller: RunController): ClipSource {
  const running = usePage((s) => s.running);
  const status = usePage((s) => s.status);
  usePage((s) => s.backend);
  const grid = controller.grid ?? { nx: running?.grid.nx ?? 64, ny: running?.grid.ny ?? 64 };
  return {
    grid, panes: 1, ready: status === "paused" || status === "running", done: status === "done",
    advance: (k) => controller.advanceForRecording(k),
    resumeAfter: () => {
      const was = usePage.getState().status === "running";
      return () => { if (was) controller.play(); };
    },
    capture: (metrics) => {
      const field = document.querySelector<HTMLCanvasElement>("[data-testid=field-canvas]");
      const lines = document.querySelector<HTMLCanvasElement>("[data-testid=field-lines]");
      const st = usePage.getState();
      const s = controller.runScenario();
      if (!field) return [];
      return [{
        field, lines: st.layer === "potential" ? lines : null,
        caption: {
          coating: formulaText(getPreset(s.coating.preset)?.name ?? s.coating.preset), layer: LAYER_NAMES[st.layer], t_s: st.t_s,
          widthUm: shownWidthUm(field, s.grid.nx * s.grid.dx_um), latest: st.latest, metrics, legend: st.scale ? { layer: st.layer, scale: st.scale } : null,
          stage: stepCaption(st.latest, s.protocol),
        },
      }];
    },
    name: (t0, t1, fps, format) => clipName(controller.runScenario(), t0, t1, fps, format),
    titleCard: () => titleCardOf(controller.runScenario()),
  };
}

/**
 * A whole number typed in a box: it may be emptied and retyped (each valid value applies as it is typed); on leaving
 * the box, a value that is not a whole number from `min` to `max` is refused with a message and the box shows the
 * value that applies.
 */
function WholeNumberInput({ value, min, max, unit, what, onCommit, onMessage, testId }: {
  value: number; min: number; max: number; unit: string; what: string;
  onCommit: (v: number) => void; onMessage: (m: string | null) => void; testId: string;
}) {
  const [text, setText] = useState(String(value));
  useEffect(() => setText(String(value)), [value]);
  const valid = (t: string) => /^\s*\d+\s*$/.test(t) && Number(t) >= min && Number(t) <= max;
  const settle = () => {
    if (valid(text)) { onMessage(null); return; }
    onMessage(`${what} must be a whole number from ${min} to ${max} ${unit}; "${text.trim()}" is not. It stays ${value} ${unit}.`);
    setText(String(value));
  };
  return (
    <input type="text" inputMode="numeric" value={text} data-testid={testId} size={5}
      onChange={(e) => {
        setText(e.target.value);
        if (valid(e.target.value)) { onCommit(Number(e.target.value)); onMessage(null); }
      }}
      onBlur={settle} onKeyDown={(e) => { if (e.key === "Enter") settle(); }} />
  );
}

const FORMAT_LABEL: Record<ClipFormat, string> = { mp4: "MP4 (H.264)", webm: "WebM (VP9)" };

export function ClipRecorder({ source, title = "Record a clip", testPrefix = "clip" }: { source: ClipSource; title?: string; testPrefix?: string }) {
  const [format, setFormat] = useState<ClipFormat>("webm");
  const [seconds, setSeconds] = useState(4);
  const [fps, setFps] = useState(30);
  const [height, setHeight] = useState(480);
  const [shape, setShape] = useState<ClipShape>("field");
  const [stepsPerFrame, setStepsPerFrame] = useState(5);
  const [withCard, setWithCard] = useState(false);
  const [metrics, setMetrics] = useState<SeriesField[]>(["max_height_um", "h2_mmol_cm2"]);
  const [support, setSupport] = useState<Record<ClipFormat, string | null | undefined>>({ mp4: undefined, webm: undefined });
  const [progress, setProgress] = useState<{ n: number; of: number } | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [inputError, setInputError] = useState<string | null>(null);
  const abort = useRef<AbortController | null>(null);

  const { grid } = source;
  const size = clipSize(grid.nx, grid.ny, height, source.panes, metrics.length, shape);
  const id = (name: string) => `${testPrefix}-${name}`;

  useEffect(() => {
    let live = true;
    void Promise.all([clipSupport("mp4", size.width, size.height), clipSupport("webm", size.width, size.height)]).then(([mp4, webm]) => {
      if (live) setSupport({ mp4, webm });
    });
    return () => { live = false; };
  }, [size.width, size.height]);

  useEffect(() => {
    if (support[format] && support[format === "mp4" ? "webm" : "mp4"] === null) setFormat(format === "mp4" ? "webm" : "mp4");
  }, [support, format]);

  const recording = progress !== null;
  const unsupported = support[format];
  const frames = clipFrames(seconds, fps);
  const cardFrames = titleFrames(fps, withCard);

  const record = async () => {
    if (!source.capture(metrics).length) return;
    const ac = new AbortController();
    abort.current = ac;
    setMessage(null);
    setProgress({ n: 0, of: frames });
    const resume = source.resumeAfter?.();
    try {
      const clip = await recordClip({
        format, fps, seconds, height, shape, stepsPerFrame, titleCard: withCard ? source.titleCard() : null,
        advance: source.advance,
        panes: () => source.capture(metrics),
        onProgress: (n, of) => setProgress({ n, of }),
        signal: ac.signal,
      });
      const name = source.name(clip.t0, clip.t1, fps, format);
      download(name, clip.blob);
      const end = clip.ended ? `; the run ended at t = ${fmt(clip.t1, 4)} s, so the clip ends there` : "";
      // A protocol run's caption moves on with its steps: say from where to where.
      const [first, last] = clip.titles;
      const steps = first !== last ? `; captioned from "${first}" to "${last}"` : "";
      const card = clip.cardFrames ? ` after ${clip.cardFrames} frames of the title card` : "";
      setMessage(`Saved ${name} (${clip.frames} frames${card}, ${Math.round(clip.blob.size / 1000)} kB${end}${steps}).`);
      resume?.(); // a cancelled recording leaves the run paused where it stopped (its message says so)
    } catch (e) {
      setMessage(e instanceof ClipCancelled ? "Recording cancelled; the run stays paused where it stopped." : `The clip could not be made: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      abort.current = null;
      setProgress(null);
    }
  };

  const toggleMetric = (m: SeriesField, on: boolean) => setMetrics((all) => (on ? CLIP_METRICS.filter((x) => x === m || all.includes(x)) : all.filter((x) => x !== m)));

  return (
    <details className="clip-recorder" data-testid={id("recorder")}>
      <summary>{title}</summary>
      <fieldset disabled={recording}>
        <legend className="clip-legend">Video</legend>
        <label>
          Format{" "}
          <select value={format} onChange={(e) => setFormat(e.target.value as ClipFormat)} data-testid={id("format")}>
            {(["webm", "mp4"] as const).map((f) => (
              <option key={f} value={f} disabled={!!support[f]}>{FORMAT_LABEL[f]}{support[f] ? " (not supported)" : ""}</option>
            ))}
          </select>
        </label>
        <label>
          Length (s){" "}
          <WholeNumberInput value={seconds} min={1} max={120} unit="s" what="The length" onCommit={setSeconds} onMessage={setInputError} testId={id("seconds")} />
        </label>
        <label>
          Frame rate{" "}
          <select value={fps} onChange={(e) => setFps(Number(e.target.value))} data-testid={id("fps")}>
            {[12, 24, 30, 60].map((v) => <option key={v} value={v}>{v} fps</option>)}
          </select>
        </label>
        <label>
          Height{" "}
          <select value={height} onChange={(e) => setHeight(Number(e.target.value))} data-testid={id("height")}>
            {[240, 360, 480, 720, 1080, 2160].map((v) => <option key={v} value={v}>{v} px{v === 1080 ? " (1080p)" : v === 2160 ? " (4K)" : ""}</option>)}
          </select>
        </label>
        <label>
          Shape{" "}
          <select value={shape} onChange={(e) => setShape(e.target.value as ClipShape)} data-testid={id("shape")}>
            <option value="field">the field's own</option>
            <option value="16:9">16:9 (a screen; the field centred)</option>
          </select>
        </label>
        <label>
          Steps per frame{" "}
          <WholeNumberInput value={stepsPerFrame} min={1} max={1000} unit="steps" what="Steps per frame" onCommit={setStepsPerFrame} onMessage={setInputError} testId={id("steps")} />
        </label>
        <label>
          <input type="checkbox" checked={withCard} onChange={(e) => setWithCard(e.target.checked)} data-testid={id("title-card")} />{" "}
          Open with a title card ({TITLE_CARD_SECONDS} s: coating, current, electrolyte, principle)
        </label>
      </fieldset>
      {inputError && <p className="param-error" role="alert" data-testid={id("input-error")}>{inputError}</p>}
      <fieldset disabled={recording} className="clip-metrics">
        <legend className="clip-legend">Metrics in the caption</legend>
        {CLIP_METRICS.map((m) => (
          <label key={m}>
            <input type="checkbox" checked={metrics.includes(m)} onChange={(e) => toggleMetric(m, e.target.checked)} /> {labelText(SERIES_META[m].label)}
          </label>
        ))}
      </fieldset>
      <p className="hint">
        {frames} frames{cardFrames ? ` (and ${cardFrames} of the title card)` : ""} of {size.width} × {size.height} px; the run is paused and advanced {stepsPerFrame} step{stepsPerFrame === 1 ? "" : "s"} per frame.
      </p>
      {(["mp4", "webm"] as const).map((f) => support[f] ? <p key={f} className="hint clip-unsupported" data-testid={id(`unsupported-${f}`)}>{FORMAT_LABEL[f]} is off: {support[f]}.</p> : null)}
      <div className="clip-actions">
        <button type="button" onClick={() => void record()} disabled={recording || !!unsupported || support[format] === undefined || !source.ready} data-testid={id("record")}>
          Record clip
        </button>
        {recording && (
          <>
            <progress max={progress.of} value={progress.n} data-testid={id("progress")} aria-label="Recording progress" />
            <span data-testid={id("frame")} aria-live="polite">frame {progress.n} of {progress.of}</span>
            <button type="button" onClick={() => abort.current?.abort()} data-testid={id("cancel")}>Cancel</button>
          </>
        )}
      </div>
      {source.done && !recording && (
        <p className="hint" data-testid={id("done")}>The run is done: raise its duration to go on (or Reset) to record more.</p>
      )}
      {message && <p className="hint" role="status" data-testid={id("message")}>{message}</p>}
    </details>
  );
}

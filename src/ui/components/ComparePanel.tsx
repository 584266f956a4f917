/**
 * Side-by-side comparison: two to four coatings with the run's seed, grid, current and electrolyte, stepping in
 * lock-step (sim/compareController.ts), each pane drawn by its backend, with charts that overlay the panes' series and a
 * clip recorder for the whole row of panes. No physics here.
 */
import { memo, useEffect, useMemo, useRef } from "react";
import { Line } from "recharts";
import type { SeriesField } from "../../model/metrics.ts";
import { PRESETS } from "../../model/presets.ts";
import { ChartCard, chart, chartSize, COLOR, niceTicks, yAxis } from "./Charts.tsx";
import { usePresenter } from "../state/presenterStore.ts";
import { fmt, formulaText } from "../text.ts";
import { ClipRecorder, type ClipSource } from "./ClipRecorder.tsx";
import { titleCardOf } from "../sim/clipCard.ts";
import { COMPARE_MAX, COMPARE_MIN, compareActions, useCompare, type ComparePane } from "../state/compareStore.ts";
import { FieldOverlay, LAYER_NAMES, LayerLegend } from "./FieldView.tsx";
import type { CompareController } from "../sim/compareController.ts";
import type { PageSession } from "../sim/pageSession.ts";
import { clipName } from "../sim/recordClip.ts";
import { stepCaption } from "../stepBands.ts";
import { shownWidthUm } from "../sim/fieldRenderer.ts";
import { widthShare } from "../sim/framing.ts";
import { useFraming } from "../state/framingStore.ts";
import { FIELD_LAYERS, type FieldLayer } from "../sim/types.ts";
import { SPEEDS } from "../state/urlState.ts";

/** Pane colours in the overlaid charts (dark, distinct, >= 4.5:1 on white), each with its own dash pattern. */
const PANE_STYLE = [
  { color: COLOR.blue, dash: undefined },
  { color: COLOR.vermillion, dash: "7 3" },
  { color: COLOR.teal, dash: "2 2" },
  { color: COLOR.purple, dash: "10 3 2 3" },
] as const;

/** The overlaid charts: one line per pane. CE in %, like the run's own chart. */
/** `include`: values each axis shows whatever the data (uniformity's whole 0 to 1, zero under growing quantities). */
const COMPARE_CHARTS: { key: string; field: SeriesField; title: string; unit: string; scale?: number; include?: number[] }[] = [
  { key: "uniformity", field: "uniformity", title: "Nucleation uniformity", unit: "1", include: [0, 1] },
  { key: "height", field: "max_height_um", title: "Max height", unit: "µm", include: [0] },
  { key: "roughness", field: "roughness_um", title: "Roughness", unit: "µm", include: [0] },
  { key: "h2", field: "h2_mmol_cm2", title: "Cumulative H₂", unit: "mmol/cm²", include: [0] },
  { key: "her", field: "her_mA_cm2", title: "HER current", unit: "mA/cm²" },
  { key: "ce", field: "ce", title: "Coulombic efficiency", unit: "%", scale: 100 },
];

export function ComparePanel({ session }: { session: PageSession }) {
  const compare = session.compare;
  const open = useCompare((s) => s.open);
  const picks = useCompare((s) => s.picks);
  const status = useCompare((s) => s.status);
  const panes = useCompare((s) => s.panes);
  const steps = useCompare((s) => s.steps);
  const layer = useCompare((s) => s.layer);
  const speed = useCompare((s) => s.speed);
  const scale = useCompare((s) => s.scale);
  const error = useCompare((s) => s.error);
  const note = useCompare((s) => s.note);
  const backend = useCompare((s) => s.backend);
  const scenarios = useCompare((s) => s.scenarios);

  const active = status !== "idle" && panes.length > 0;
  const busy = status === "starting";
  // Coatings picked since the comparison started apply at its restart: say so, naming what runs now.
  const pending = active && (picks.length !== panes.length || picks.some((id, k) => id !== panes[k]?.preset));
  const step = panes[0]?.step ?? 0;
  const t = panes[0]?.t_s ?? 0;
  const shared = scenarios[0];
  const widthUm = shared ? shared.grid.nx * shared.grid.dx_um : 0;
  const same = shared
    ? `${fmt(shared.current_mA_cm2)} mA/cm², ${fmt(shared.electrolyte.c0_M)} M, ${shared.grid.nx} × ${shared.grid.ny} cells, seed ${shared.seed}`
    : "";

  return (
    <details className="compare" data-testid="compare" open={open} onToggle={(e) => session.setComparisonOpen(e.currentTarget.open)}>
      <summary>Compare coatings side by side</summary>
      <p className="hint">
        Two to four coatings, each with its own values, run with this page's current, electrolyte, grid and seed, and
        step together: every pane is at the same step in every frame. Starting or playing it pauses the main run, and
        the main run's Play pauses it.
      </p>
      <fieldset className="compare-picks" disabled={busy}>
        <legend>Coatings</legend>
        {picks.map((id, k) => (
          <span key={k} className="compare-pick">
            <label>
              Pane {k + 1}{" "}
              <select value={id} onChange={(e) => compareActions.setPick(k, e.target.value)} data-testid={`compare-pick-${k}`}>
                {PRESETS.map((p) => <option key={p.id} value={p.id}>{formulaText(p.name)}</option>)}
              </select>
            </label>
            {picks.length > COMPARE_MIN && (
              <button type="button" onClick={() => compareActions.removePick(k)} aria-label={`Remove pane ${k + 1}`}>×</button>
            )}
          </span>
        ))}
        {picks.length < COMPARE_MAX && <button type="button" onClick={() => compareActions.addPick()} data-testid="compare-add">Add a coating</button>}
      </fieldset>
      <div className="compare-bar" role="group" aria-label="Comparison run">
        <button type="button" onClick={() => session.startComparison()} disabled={busy} data-testid="compare-start">{active ? "Restart comparison" : "Start comparison"}</button>
        <button type="button" onClick={() => session.toggleComparison()} disabled={!active || busy || status === "done" || status === "error"} data-testid="compare-play">
          {status === "running" ? "Pause" : "Play"}
        </button>
        <button type="button" onClick={() => void compare.stepOnce()} disabled={!active || status !== "paused"} data-testid="compare-step">Step</button>
        <button type="button" onClick={() => compare.stop()} disabled={!active || busy}>Stop</button>
        <label>
          Layer{" "}
          <select value={layer} onChange={(e) => void compare.setLayer(e.target.value as FieldLayer)} data-testid="compare-layer">
            {FIELD_LAYERS.map((l) => <option key={l} value={l}>{LAYER_NAMES[l]}</option>)}
          </select>
        </label>
        <label>
          Steps per frame{" "}
          <select value={speed} onChange={(e) => compareActions.setSpeed(Number(e.target.value))} data-testid="compare-speed">
            {SPEEDS.map((v) => <option key={v} value={v}>{v}</option>)}
          </select>
        </label>
        <span className="compare-time" data-testid="compare-time" aria-live="off">
          {active ? `step ${step} of ${steps}, t = ${fmt(t)} s` : "not started"}
        </span>
      </div>
      {pending && (
        <p className="pending-note" role="status" data-testid="compare-pending">
          The panes still run {panes.map((p) => formulaText(p.name)).join(", ")}: Restart comparison to run the coatings picked.
        </p>
      )}
      {note && <p className="banner" role="status" data-testid="compare-note">{note}</p>}
      {error && <p className="notice error" role="alert" data-testid="compare-error">{error}</p>}
      {active && (
        <>
          <p className="hint" data-testid="compare-shared">
            Shared: {same}{backend ? `, on ${backend.label}` : ""}. Each pane is {fmt(widthUm)} µm wide.
          </p>
          <div className="compare-panes" style={{ gridTemplateColumns: `repeat(${panes.length}, minmax(0, 1fr))` }}>
            {panes.map((p, k) => <PaneView key={`${k}-${p.preset}`} k={k} pane={p} compare={compare} layer={layer} widthUm={widthUm} aspect={shared ? `${shared.grid.nx} / ${shared.grid.ny}` : "1"} />)}
          </div>
          {scale && <LayerLegend layer={layer} scale={scale} testId="compare-legend" deadZinc={!!scenarios[0]?.protocol} />}
          <CompareCharts panes={panes} running={status === "running"} />
          <CompareClipRecorder compare={compare} />
        </>
      )}
    </details>
  );
}

function PaneView(props: { k: number; pane: ComparePane; compare: CompareController; layer: FieldLayer; widthUm: number; aspect: string }) {
  const { k, pane, compare, layer, widthUm, aspect } = props;
  const field = useRef<HTMLCanvasElement>(null);
  const lines = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    compare.setCanvas(k, field.current, lines.current);
    return () => compare.setCanvas(k, null, null);
  }, [compare, k]);
  const last = pane.history.at(-1);
  // All panes show the one window (the front of the tallest deposit, or the whole cell): the bar is its width's.
  const share = useFraming((s) => widthShare(s.windows.compare, compare.grid?.nx ?? 0));
  return (
    <figure className="compare-pane" data-testid="compare-pane" data-step={pane.step} data-preset={pane.preset}>
      <figcaption>
        <span className="swatch" style={{ background: PANE_STYLE[k]!.color }} aria-hidden="true" /> {formulaText(pane.name)}
      </figcaption>
      <div className="compare-stage" style={{ aspectRatio: aspect }}>
        <canvas ref={field} data-testid={`compare-canvas-${k}`} role="img" aria-label={`${LAYER_NAMES[layer]} field of ${pane.name}, electrode at the bottom`} />
        <canvas ref={lines} className="field-lines" aria-hidden="true" />
        <FieldOverlay t_s={pane.t_s} widthUm={widthUm * share} />
      </div>
      <p className="compare-readout" data-testid={`compare-readout-${k}`}>
        {last
          ? `max height ${fmt(last.max_height_um)} µm · H₂ ${fmt(last.h2_mmol_cm2)} mmol/cm² · CE ${fmt(100 * last.ce)} % · uniformity ${fmt(last.uniformity)}`
          : "No data yet: press Play."}
      </p>
    </figure>
  );
}

/** One chart per metric with a line per pane, rows merged on the simulated time (the panes share their samples). */
const CompareCharts = memo(function CompareCharts({ panes, running }: { panes: readonly ComparePane[]; running: boolean }) {
  const size = chartSize(usePresenter((s) => s.on));
  const data = useMemo(() => {
    const rows = new Map<number, Record<string, number>>();
    panes.forEach((p, k) => {
      for (const r of p.history) {
        const row = rows.get(r.t_s) ?? { t_s: r.t_s };
        for (const c of COMPARE_CHARTS) row[`${c.key}_${k}`] = r[c.field] * (c.scale ?? 1);
        rows.set(r.t_s, row);
      }
    });
    return [...rows.values()].sort((a, b) => a.t_s! - b.t_s!);
  }, [panes]);
  const last = data.at(-1);
  return (
    <section className="charts compare-charts" aria-label="Overlaid charts of the compared coatings" aria-busy={running} data-lines={panes.length}>
      {COMPARE_CHARTS.map((c) => (
        <ChartCard key={c.key} testKey={`compare-${c.key}`} title={`${c.title}${c.unit === "1" ? "" : ` (${c.unit})`}`} points={data.length} size={size}
          latest={last ? `Latest at t = ${fmt(last.t_s!)} s: ${panes.map((p, k) => `${formulaText(p.name)} ${fmt(last[`${c.key}_${k}`] ?? NaN)}${c.unit === "1" ? "" : ` ${c.unit}`}`).join("; ")}` : ""}>
          {chart(data, <>
            {yAxis(c.unit === "1" ? "1 = even" : c.unit, size, { ticks: niceTicks(data, panes.map((_, k) => `${c.key}_${k}`), c.include) })}
            {panes.map((p, k) => (
              <Line
                key={k} dataKey={`${c.key}_${k}`} name={formulaText(p.name)} unit={c.unit === "1" ? "" : ` ${c.unit}`}
                type="linear" stroke={PANE_STYLE[k]!.color} strokeWidth={2} strokeDasharray={PANE_STYLE[k]!.dash}
                dot={false} activeDot={false} isAnimationActive={false} connectNulls
              />
            ))}
          </>, size, true)}
        </ChartCard>
      ))}
    </section>
  );
});

/** The recorder of the comparison: every pane side by side, each with its caption. */
function CompareClipRecorder({ compare }: { compare: CompareController }) {
  const status = useCompare((s) => s.status);
  const panes = useCompare((s) => s.panes);
  const grid = compare.grid ?? { nx: 64, ny: 64 };
  const source: ClipSource = {
    grid, panes: panes.length, ready: status === "paused" || status === "running", done: status === "done",
    advance: (k) => compare.advanceForRecording(k),
    // A comparison that was playing plays on once the clip is saved, as the field view's run does.
    resumeAfter: () => {
      const was = useCompare.getState().status === "running";
      return () => { if (was) compare.play(); };
    },
    capture: (metrics) => {
      const st = useCompare.getState();
      const s = st.scenarios[0];
      if (!s) return [];
      const views = compare.paneViews();
      if (views.some((v) => !v.canvas)) return [];
      return views.map((v, k) => ({
        field: v.canvas!, lines: st.layer === "potential" ? v.overlay : null,
        caption: {
          coating: formulaText(st.panes[k]?.name ?? ""), layer: LAYER_NAMES[st.layer], t_s: v.t_s, widthUm: shownWidthUm(v.canvas, s.grid.nx * s.grid.dx_um),
          latest: v.latest, metrics, legend: st.scale ? { layer: st.layer, scale: st.scale } : null, stage: stepCaption(v.latest, s.protocol),
        },
      }));
    },
    name: (t0, t1, fps, format) => {
      const st = useCompare.getState();
      return clipName(st.scenarios[0]!, t0, t1, fps, format, st.panes.map((p) => p.preset));
    },
    titleCard: () => {
      const st = useCompare.getState();
      return st.scenarios[0] ? titleCardOf(st.scenarios[0], st.panes.map((p) => p.preset)) : null;
    },
  };
  return <ClipRecorder source={source} title="Record a clip of the comparison" testPrefix="compare-clip" />;
}

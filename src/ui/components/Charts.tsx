/**
 * Live charts of a run. The parent bounds and downsamples `history` and re-renders at most a few
 * times a second; this component only draws it: no animation, no dots, no per-step state, and
 * the chart grid is memoised so unrelated parent renders do not rebuild the SVG.
 */
import { memo, useMemo, type ReactElement, type ReactNode } from "react";
import {
  CartesianGrid, Legend, Line, LineChart, ReferenceArea, ResponsiveContainer, Tooltip, XAxis, YAxis, type AxisDomain,
} from "recharts";
import { SERIES_META, type SeriesRow } from "../../model/metrics.ts";
import type { CycleRow } from "../../model/cycleLog.ts";
import type { ProtocolStep } from "../../model/protocol.ts";
import { BAND_FILL, stepBands } from "../stepBands.ts";
import { CycleChart } from "./CycleChart.tsx";
import { usePresenter } from "../state/presenterStore.ts";
import { fmt, tickText } from "../text.ts";

/** A row with the display-scaled series (CE in %, voltage in mV). */
/** A chart's row: the series' (with the pH field's columns where the run tracks the pH) and the derived units. */
type ChartRow = SeriesRow & { ce_pct: number; voltage_mV: number; surface_pH?: number; byproduct_um?: number };

/** Dark, distinct hues: each at least 4.5:1 against white. Second lines are also dashed. */
export const COLOR = {
  blue: "#0b5cad",
  vermillion: "#b3400b",
  teal: "#0b6b5a",
  purple: "#6b3d9a",
  brown: "#8a4b00",
  red: "#a3202c",
} as const;

/** The charts' type and sizes (px): larger in presenter mode, where the room reads them off a projector. */
export interface ChartSize { font: number; axisWidth: number; height: number }
const PAGE_SIZE: ChartSize = { font: 11, axisWidth: 58, height: 150 };
const PRESENTER_SIZE: ChartSize = { font: 22, axisWidth: 100, height: 260 };
/** One object for each (the memoised charts re-render only when the mode changes). */
export const chartSize = (presenter: boolean): ChartSize => (presenter ? PRESENTER_SIZE : PAGE_SIZE);
const MARGIN = { top: 6, right: 8, bottom: 14, left: 4 };
const EMPTY_TEXT = "No data yet: press Play.";

const tooltipValue = (v: unknown) => (typeof v === "number" ? fmt(v) : String(v ?? ""));
/** Keep series in declaration order (recharts sorts by name by default). */
const keepOrder = () => 0;
const tooltipLabel = (t: ReactNode) => `t = ${typeof t === "number" ? fmt(t) : String(t)} s`;

/**
 * Round ticks over the values of `keys` in `rows` and the values in `include`: steps of 1, 2, 2.5 or 5 times a power of
 * ten, about `count` of them, the first and last just outside the values (the axis's domain). Undefined without data.
 */
export function niceTicks(rows: readonly object[], keys: readonly string[], include: readonly number[] = [], count = 5): number[] | undefined {
  let lo = Infinity, hi = -Infinity;
  const take = (v: unknown) => {
    if (typeof v === "number" && Number.isFinite(v)) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
  };
  for (const row of rows) for (const k of keys) take((row as Record<string, unknown>)[k]);
  if (lo > hi) return undefined;
  include.forEach(take);
  if (hi === lo) { const pad = Math.abs(hi) * 0.05 || 1; lo -= pad; hi += pad; } // a flat line: a little room either side
  const raw = (hi - lo) / (count - 1);
  const p = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * p).find((s) => s >= raw * (1 - 1e-9))!;
  const ticks: number[] = [];
  for (let k = Math.floor(lo / step + 1e-9); k <= Math.ceil(hi / step - 1e-9); k++) ticks.push(Number((k * step).toPrecision(12)));
  return ticks;
}

/** Time from 0, on round ticks (0, 100, 200, 300 s; not the first sample's 0.3, 15.3, ...). */
function xAxis(size: ChartSize, rows: readonly object[]) {
  const ticks = niceTicks(rows, ["t_s"], [0]);
  return (
    <XAxis
      dataKey="t_s" type="number" domain={ticks ? [ticks[0]!, ticks.at(-1)!] : [0, "auto"]} ticks={ticks}
      tickFormatter={tickText} tick={{ fontSize: size.font }} height={18 + 1.1 * size.font}
      label={{ value: "t (s)", position: "insideBottom", offset: -8, fontSize: size.font }}
    />
  );
}

/** A y axis; `ticks` (niceTicks) where there are data: round values, and the domain from the first to the last. */
export function yAxis(label: string, size: ChartSize, opts: { id?: string; right?: boolean; ticks?: number[] } = {}) {
  const { ticks } = opts;
  const domain: AxisDomain = ticks ? [ticks[0]!, ticks.at(-1)!] : ["auto", "auto"];
  return (
    <YAxis
      yAxisId={opts.id ?? 0} orientation={opts.right ? "right" : "left"} width={size.axisWidth}
      tickFormatter={tickText} tick={{ fontSize: size.font }} domain={domain} ticks={ticks} interval={ticks ? 0 : "preserveEnd"}
      label={{ value: label, angle: opts.right ? 90 : -90, position: opts.right ? "insideRight" : "insideLeft", fontSize: size.font, style: { textAnchor: "middle" } }}
    />
  );
}

function line(dataKey: keyof ChartRow, name: string, unit: string, color: string, opts: { id?: string; dashed?: boolean } = {}) {
  return (
    <Line
      key={dataKey} yAxisId={opts.id ?? 0} dataKey={dataKey} name={name} unit={` ${unit}`}
      type="linear" stroke={color} strokeWidth={2} strokeDasharray={opts.dashed ? "6 3" : undefined}
      dot={false} activeDot={false} isAnimationActive={false} connectNulls
    />
  );
}

export function ChartCard(props: {
  testKey: string; title: string; points: number; latest: string; size: ChartSize; children: ReactElement; note?: ReactNode; empty?: string;
}) {
  const { testKey, title, points, latest, size, children, note } = props;
  return (
    <div className="chart-card" data-testid={`chart-${testKey}`} data-points={points}>
      <h3>{title}</h3>
      {points === 0 ? (
        <p className="chart-empty" style={{ height: size.height }}>{props.empty ?? EMPTY_TEXT}</p>
      ) : (
        <>
          <div className="chart-plot" aria-hidden="true">
            <ResponsiveContainer width="100%" height={size.height} initialDimension={{ width: 300, height: size.height }}>
              {children}
            </ResponsiveContainer>
          </div>
          <p className="visually-hidden">{latest}</p>
        </>
      )}
      {note && <p className="chart-note">{note}</p>}
    </div>
  );
}

export function chart(data: readonly object[], body: ReactNode, size: ChartSize, legend = false): ReactElement {
  return (
    <LineChart data={data} margin={MARGIN} accessibilityLayer={false}>
      <CartesianGrid stroke="#d3dae3" strokeDasharray="3 3" />
      {xAxis(size, data)}
      {body}
      <Tooltip formatter={tooltipValue} labelFormatter={tooltipLabel} itemSorter={keepOrder} isAnimationActive={false} />
      {legend && <Legend itemSorter={null} verticalAlign="top" iconType="plainline" wrapperStyle={{ fontSize: size.font + 1 }} />}
    </LineChart>
  );
}

interface GridProps { history: readonly SeriesRow[]; running: boolean; size: ChartSize; cycles: readonly CycleRow[]; protocol?: readonly ProtocolStep[] }

const ChartGrid = memo(function ChartGrid({ history, running, size, cycles, protocol }: GridProps) {
  const data = useMemo<ChartRow[]>(
    () => history.map((r) => ({ ...r, ce_pct: r.ce * 100, voltage_mV: r.voltage_V * 1000 })),
    [history],
  );
  const bands = useMemo(() => stepBands(history, protocol), [history, protocol]);
  const n = data.length;
  const last = n > 0 ? data[n - 1] : undefined;
  const at = last ? ` at t = ${fmt(last.t_s)} s` : "";
  const latest = (parts: string) => (last ? `Latest: ${parts}${at}` : EMPTY_TEXT);
  const M = SERIES_META;

  return (
    <section className="charts" aria-label="Live charts" aria-busy={running} data-running={running}>
      <ChartCard testKey="uniformity" title="Nucleation uniformity" points={n} size={size}
        latest={latest(last ? fmt(last.uniformity) : "")}>
        {chart(data, <>
          {yAxis("1 = even", size, { ticks: niceTicks(data, ["uniformity"], [0, 1]) })}
          {line("uniformity", M.uniformity.label, "", COLOR.blue)}
        </>, size)}
      </ChartCard>

      <ChartCard testKey="height" title="Roughness and max height" points={n} size={size}
        latest={latest(last ? `roughness ${fmt(last.roughness_um)} µm, max height ${fmt(last.max_height_um)} µm` : "")}>
        {chart(data, <>
          {yAxis("µm", size, { ticks: niceTicks(data, ["roughness_um", "max_height_um"], [0]) })}
          {line("roughness_um", M.roughness_um.label, "µm", COLOR.teal)}
          {line("max_height_um", M.max_height_um.label, "µm", COLOR.vermillion, { dashed: true })}
        </>, size, true)}
      </ChartCard>

      <ChartCard testKey="her" title="Hydrogen evolution" points={n} size={size}
        latest={latest(last ? `HER ${fmt(last.her_mA_cm2)} mA/cm², cumulative H₂ ${fmt(last.h2_mmol_cm2)} mmol/cm²` : "")}>
        {chart(data, <>
          {yAxis("mA/cm²", size, { id: "her", ticks: niceTicks(data, ["her_mA_cm2"]) })}
          {yAxis("mmol/cm²", size, { id: "h2", right: true, ticks: niceTicks(data, ["h2_mmol_cm2"], [0]) })}
          {line("her_mA_cm2", M.her_mA_cm2.label, "mA/cm²", COLOR.purple, { id: "her" })}
          {line("h2_mmol_cm2", "Cumulative H₂", "mmol/cm²", COLOR.brown, { id: "h2", dashed: true })}
        </>, size, true)}
      </ChartCard>

      <ChartCard testKey="ce" title="Coulombic efficiency" points={n} size={size}
        latest={latest(last ? `${fmt(last.ce_pct)} %` : "")}>
        {chart(data, <>
          {yAxis("CE (%)", size, { ticks: niceTicks(data, ["ce_pct"]) })}
          {line("ce_pct", M.ce.label, "%", COLOR.teal)}
        </>, size)}
      </ChartCard>

      <ChartCard testKey="voltage" title={protocol ? "Electrode potential, shaded by step" : "Electrode potential"} points={n} size={size}
        latest={latest(last ? `${fmt(last.voltage_mV)} mV vs Zn` : "")}
        note={protocol && <span data-testid="step-band-key" data-bands={bands.length}>Shaded: {(["plate", "strip", "rest"] as const).map((k) => (
          <span key={k} className="band-key"><span className="band-swatch" style={{ background: BAND_FILL[k].fill }} /> {BAND_FILL[k].name} ({BAND_FILL[k].word}) </span>
        ))}</span>}>
        {chart(data, <>
          {yAxis("E vs Zn (mV)", size, { ticks: niceTicks(data, ["voltage_mV"]) })}
          {bands.map((b, k) => (
            <ReferenceArea key={k} x1={b.x1} x2={b.x2} fill={BAND_FILL[b.kind].fill} fillOpacity={0.45} stroke="none" ifOverflow="hidden" className={`step-band step-band-${b.kind}`} />
          ))}
          {line("voltage_mV", M.voltage_V.label, "mV", COLOR.red)}
        </>, size)}
      </ChartCard>

      {protocol && <CycleChart cycles={cycles} size={size} />}

      {last?.surface_pH !== undefined && (
        <ChartCard testKey="ph" title="Interfacial pH and by-product film" points={n} size={size}
          latest={latest(`pH ${fmt(last.surface_pH)}${last.byproduct_um !== undefined ? `, film ${fmt(last.byproduct_um)} µm` : ""}`)}>
          {chart(data, <>
            {yAxis("pH", size, { id: "ph", ticks: niceTicks(data, ["surface_pH"]) })}
            {yAxis("film (µm)", size, { id: "film", right: true, ticks: niceTicks(data, ["byproduct_um"], [0]) })}
            {line("surface_pH", "Interfacial pH", "", COLOR.purple, { id: "ph" })}
            {line("byproduct_um", "By-product film", "µm", COLOR.brown, { id: "film", dashed: true })}
          </>, size, true)}
        </ChartCard>
      )}

      <ChartCard testKey="surface-c" title="Min surface Zn²⁺" points={n} size={size}
        latest={latest(last ? `${fmt(last.min_surface_c_M)} M` : "")}>
        {chart(data, <>
          {yAxis("c (M)", size, { ticks: niceTicks(data, ["min_surface_c_M"], [0]) })}
          {line("min_surface_c_M", "Min surface Zn²⁺", "M", COLOR.blue)}
        </>, size)}
      </ChartCard>
    </section>
  );
});

const NO_CYCLES: readonly CycleRow[] = [];

/** Live charts of a run; `history` is already bounded and downsampled by the parent. */
export function Charts(props: { history: readonly SeriesRow[]; running: boolean; cycles?: readonly CycleRow[]; protocol?: readonly ProtocolStep[] }) {
  const presenter = usePresenter((s) => s.on);
  return <ChartGrid {...props} cycles={props.cycles ?? NO_CYCLES} size={chartSize(presenter)} />;
}

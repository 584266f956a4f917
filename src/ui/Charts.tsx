/**
 * Live charts of a run. The parent bounds and downsamples `history` and re-renders at most a few
 * times a second; this component only draws it: no animation, no dots, no per-step state, and
 * the chart grid is memoised so unrelated parent renders do not rebuild the SVG.
 */
import { memo, useMemo, type ReactElement, type ReactNode } from "react";
import {
  CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis, type AxisDomain,
} from "recharts";
import { SERIES_META, type SeriesRow } from "../model/metrics.ts";

/** A row with the display-scaled series (CE in %, voltage in mV). */
type ChartRow = SeriesRow & { ce_pct: number; voltage_mV: number };

/** Dark, distinct hues: each at least 4.5:1 against white. Second lines are also dashed. */
export const COLOR = {
  blue: "#0b5cad",
  vermillion: "#b3400b",
  teal: "#0b6b5a",
  purple: "#6b3d9a",
  brown: "#8a4b00",
  red: "#a3202c",
} as const;

const CHART_HEIGHT = 150;
const MARGIN = { top: 6, right: 8, bottom: 14, left: 4 };
const TICK = { fontSize: 11 };
const EMPTY_TEXT = "No data yet: press Play.";

/** Compact number: 3 significant digits, exponential for very small or very large magnitudes. */
export function fmt(v: number): string {
  if (!Number.isFinite(v)) return "–";
  if (v === 0) return "0";
  const a = Math.abs(v);
  if (a < 1e-3 || a >= 1e5) return v.toExponential(1);
  return String(Number(v.toPrecision(3)));
}

const tooltipValue = (v: unknown) => (typeof v === "number" ? fmt(v) : String(v ?? ""));
/** Keep series in declaration order (recharts sorts by name by default). */
const keepOrder = () => 0;
const tooltipLabel = (t: ReactNode) => `t = ${typeof t === "number" ? fmt(t) : String(t)} s`;

function xAxis() {
  return (
    <XAxis
      dataKey="t_s" type="number" domain={["dataMin", "dataMax"]} tickCount={5}
      tickFormatter={fmt} tick={TICK} height={30}
      label={{ value: "t (s)", position: "insideBottom", offset: -8, fontSize: 11 }}
    />
  );
}

export function yAxis(label: string, opts: { id?: string; right?: boolean; domain?: AxisDomain } = {}) {
  return (
    <YAxis
      yAxisId={opts.id ?? 0} orientation={opts.right ? "right" : "left"} width={58}
      tickFormatter={fmt} tick={TICK} domain={opts.domain ?? ["auto", "auto"]}
      label={{ value: label, angle: opts.right ? 90 : -90, position: opts.right ? "insideRight" : "insideLeft", fontSize: 11, style: { textAnchor: "middle" } }}
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
  testKey: string; title: string; points: number; latest: string; children: ReactElement;
}) {
  const { testKey, title, points, latest, children } = props;
  return (
    <div className="chart-card" data-testid={`chart-${testKey}`} data-points={points}>
      <h3>{title}</h3>
      {points === 0 ? (
        <p className="chart-empty" style={{ height: CHART_HEIGHT }}>{EMPTY_TEXT}</p>
      ) : (
        <>
          <div className="chart-plot" aria-hidden="true">
            <ResponsiveContainer width="100%" height={CHART_HEIGHT} initialDimension={{ width: 300, height: CHART_HEIGHT }}>
              {children}
            </ResponsiveContainer>
          </div>
          <p className="visually-hidden">{latest}</p>
        </>
      )}
    </div>
  );
}

export function chart(data: readonly object[], body: ReactNode, legend = false): ReactElement {
  return (
    <LineChart data={data} margin={MARGIN} accessibilityLayer={false}>
      <CartesianGrid stroke="#d3dae3" strokeDasharray="3 3" />
      {xAxis()}
      {body}
      <Tooltip formatter={tooltipValue} labelFormatter={tooltipLabel} itemSorter={keepOrder} isAnimationActive={false} />
      {legend && <Legend itemSorter={null} verticalAlign="top" height={20} iconType="plainline" wrapperStyle={{ fontSize: 12 }} />}
    </LineChart>
  );
}

const ChartGrid = memo(function ChartGrid({ history, running }: { history: readonly SeriesRow[]; running: boolean }) {
  const data = useMemo<ChartRow[]>(
    () => history.map((r) => ({ ...r, ce_pct: r.ce * 100, voltage_mV: r.voltage_V * 1000 })),
    [history],
  );
  const n = data.length;
  const last = n > 0 ? data[n - 1] : undefined;
  const at = last ? ` at t = ${fmt(last.t_s)} s` : "";
  const latest = (parts: string) => (last ? `Latest: ${parts}${at}` : EMPTY_TEXT);
  const M = SERIES_META;

  return (
    <section className="charts" aria-label="Live charts" aria-busy={running} data-running={running}>
      <ChartCard testKey="uniformity" title="Nucleation uniformity" points={n}
        latest={latest(last ? fmt(last.uniformity) : "")}>
        {chart(data, <>
          {yAxis("uniformity (1)", { domain: [(min: number) => Math.min(0, Math.floor(min * 10) / 10), 1] })}
          {line("uniformity", M.uniformity.label, "", COLOR.blue)}
        </>)}
      </ChartCard>

      <ChartCard testKey="height" title="Roughness and max height" points={n}
        latest={latest(last ? `roughness ${fmt(last.roughness_um)} µm, max height ${fmt(last.max_height_um)} µm` : "")}>
        {chart(data, <>
          {yAxis("µm")}
          {line("roughness_um", M.roughness_um.label, "µm", COLOR.teal)}
          {line("max_height_um", M.max_height_um.label, "µm", COLOR.vermillion, { dashed: true })}
        </>, true)}
      </ChartCard>

      <ChartCard testKey="her" title="Hydrogen evolution" points={n}
        latest={latest(last ? `HER ${fmt(last.her_mA_cm2)} mA/cm², cumulative H₂ ${fmt(last.h2_mmol_cm2)} mmol/cm²` : "")}>
        {chart(data, <>
          {yAxis("mA/cm²", { id: "her" })}
          {yAxis("mmol/cm²", { id: "h2", right: true })}
          {line("her_mA_cm2", M.her_mA_cm2.label, "mA/cm²", COLOR.purple, { id: "her" })}
          {line("h2_mmol_cm2", "Cumulative H₂", "mmol/cm²", COLOR.brown, { id: "h2", dashed: true })}
        </>, true)}
      </ChartCard>

      <ChartCard testKey="ce" title="Coulombic efficiency" points={n}
        latest={latest(last ? `${fmt(last.ce_pct)} %` : "")}>
        {chart(data, <>
          {yAxis("CE (%)")}
          {line("ce_pct", M.ce.label, "%", COLOR.teal)}
        </>)}
      </ChartCard>

      <ChartCard testKey="voltage" title="Cell voltage" points={n}
        latest={latest(last ? `${fmt(last.voltage_mV)} mV vs Zn` : "")}>
        {chart(data, <>
          {yAxis("E vs Zn (mV)")}
          {line("voltage_mV", M.voltage_V.label, "mV", COLOR.red)}
        </>)}
      </ChartCard>

      <ChartCard testKey="surface-c" title="Min surface Zn²⁺" points={n}
        latest={latest(last ? `${fmt(last.min_surface_c_M)} M` : "")}>
        {chart(data, <>
          {yAxis("c (M)", { domain: [0, "auto"] })}
          {line("min_surface_c_M", "Min surface Zn²⁺", "M", COLOR.blue)}
        </>)}
      </ChartCard>
    </section>
  );
});

/** Live charts of a run; `history` is already bounded and downsampled by the parent. */
export function Charts({ history, running }: { history: readonly SeriesRow[]; running: boolean }) {
  return <ChartGrid history={history} running={running} />;
}

/**
 * A sweep's results: the points that stopped early, a chart of one metric against the first axis (a line per value of
 * the second) and a table of every row as the CSV has it, four significant digits on the page and the exact value in
 * each cell's data-value and tooltip.
 */
import { useMemo } from "react";
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { SERIES_META, type SeriesField } from "../../../model/metrics.ts";
import { rowStopMessage, runStopKind, type StopKind } from "../../../model/runStop.ts";
import { axisValues, type Sweep } from "../../../model/sweep.ts";
import { fmt, labelText } from "../../text.ts";
import { metricText, paramText, type RunState } from "./sweepForm.ts";

/** A sweep's number: 4 significant digits (sweeps often span a narrow range). */
const sweepText = (v: number): string => fmt(v, 4);

/** The table's words for the CSV's stopped column (its tooltip says the whole why). */
const STOP_TEXT: Record<StopKind, string> = { dendrite: "dendrite across the cell", not_finite: "not finite" };

/** Dark, distinct hues (each at least 4.5:1 on white); lines after the first are dashed too. */
const COLORS = ["#0b5cad", "#b3400b", "#0b6b5a", "#6b3d9a", "#8a4b00", "#a3202c"];
const DASHES = [undefined, "6 3", "2 3", "8 3 2 3"];

function SweepChart({ run, metric }: { run: RunState; metric: SeriesField }) {
  const { sweep, points, rows } = run;
  const [a0, a1] = sweep.axes as [Sweep["axes"][0], Sweep["axes"][1] | undefined];
  const inner = a1 ? axisValues(a1) : [undefined];
  const outer = axisValues(a0);
  const data = useMemo(() => {
    const out: Record<string, number>[] = [];
    outer.forEach((x, i) => {
      const d: Record<string, number> = { x };
      let any = false;
      inner.forEach((_, j) => {
        const row = rows[i * inner.length + j];
        if (row) { d[`y${j}`] = row[metric]; any = true; }
      });
      if (any) out.push(d);
    });
    return out;
  }, [rows, metric, points]);
  const logX = a0.scale === "log";
  const name = (j: number) => (a1 ? `${a1.param} = ${inner[j]}` : labelText(SERIES_META[metric].label));
  return (
    <div className="sweep-plot" aria-hidden="true" data-testid="sweep-chart" data-points={rows.length}>
      <ResponsiveContainer width="100%" height={220} initialDimension={{ width: 400, height: 220 }}>
        <LineChart data={data} margin={{ top: 6, right: 12, bottom: 18, left: 8 }} accessibilityLayer={false}>
          <CartesianGrid stroke="#d3dae3" strokeDasharray="3 3" />
          <XAxis
            dataKey="x" type="number" scale={logX ? "log" : "auto"} domain={["dataMin", "dataMax"]} allowDataOverflow={logX}
            tickFormatter={sweepText} tick={{ fontSize: 11 }} height={34}
            label={{ value: paramText(a0.param), position: "insideBottom", offset: -10, fontSize: 11 }}
          />
          <YAxis
            width={64} tickFormatter={sweepText} tick={{ fontSize: 11 }} domain={["auto", "auto"]}
            label={{ value: metricText(metric), angle: -90, position: "insideLeft", fontSize: 11, style: { textAnchor: "middle" } }}
          />
          <Tooltip
            formatter={(v: unknown) => (typeof v === "number" ? sweepText(v) : String(v ?? ""))}
            labelFormatter={(x: unknown) => `${a0.param} = ${typeof x === "number" ? sweepText(x) : String(x)}`}
            isAnimationActive={false}
          />
          {a1 && <Legend itemSorter={null} verticalAlign="top" height={22} iconType="plainline" wrapperStyle={{ fontSize: 12 }} />}
          {inner.map((_, j) => (
            <Line
              key={j} dataKey={`y${j}`} name={name(j)} type="linear" stroke={COLORS[j % COLORS.length]} strokeWidth={2}
              strokeDasharray={DASHES[j % DASHES.length]} dot={{ r: 3 }} isAnimationActive={false} connectNulls
            />
          ))}
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}

/** The points that stopped early, the chart and the table of a sweep's rows (or a line saying there are none yet). */
export function SweepResults({ run, metric, active }: { run: RunState | null; metric: SeriesField; active: boolean }) {
  // How each point done stopped early, if it did: read from its row (its last sample), as the CSV's stopped column
  // is, so a sweep resumed after a reload marks its earlier points too.
  const stops = useMemo(() => (run ? run.rows.map((row, i) => {
    const s = run.points[i]!.scenario, kind = runStopKind(row, s);
    return kind ? { kind, why: rowStopMessage(row, s)! } : null;
  }) : []), [run?.rows, run?.points]);
  const stopped = stops.flatMap((p, index) => (p ? [{ index, why: p.why }] : []));
  return (
    <>
      {run && stopped.length > 0 && (
        <ul className="sweep-stopped" data-testid="sweep-stopped">
          {stopped.map((p) => (
            <li key={p.index}>Point {p.index + 1} ({run.points[p.index]!.values.join(", ")}): {p.why}. Its row is its last sample.</li>
          ))}
        </ul>
      )}
      {run && run.rows.length > 0 ? (
        <>
          <h3 className="sweep-chart-title">{metricText(metric)} against {paramText(run.sweep.axes[0]!.param)}</h3>
          <SweepChart run={run} metric={metric} />
          <div className="sweep-table-wrap" role="region" aria-label="Sweep results" tabIndex={0}>
            <table className="sweep-table" data-testid="sweep-table">
              <caption className="visually-hidden">Sweep results, one row per point, as the CSV has them</caption>
              <thead>
                <tr>
                  {run.sweep.axes.map((a) => <th key={a.param} scope="col">{paramText(a.param)}<code>{a.param}</code></th>)}
                  {run.sweep.metrics.map((m) => <th key={m} scope="col">{metricText(m)}<code>{m}</code></th>)}
                  <th scope="col">Stopped early<code>stopped</code></th>
                </tr>
              </thead>
              <tbody>
                {run.rows.map((r, i) => (
                  <tr key={i} data-point={i} data-stopped={stops[i] !== null || undefined}>
                    {/* Four digits on the page; the exact value (as the CSV has it) in data-value and the tooltip. */}
                    {/* data-label: the column's name beside each value where the column is too narrow for the table's rows (app.css). */}
                    {run.points[i]!.values.map((v, k) => <td key={`a${k}`} data-label={paramText(run.sweep.axes[k]!.param)} data-value={String(v)} title={String(v)}>{sweepText(v)}</td>)}
                    {run.sweep.metrics.map((m) => { const v = (r as Record<string, number>)[m]!; return <td key={m} data-label={metricText(m)} data-metric={m} data-value={String(v)} title={String(v)}>{sweepText(v)}</td>; })}
                    <td data-label="Stopped early" data-value={stops[i]?.kind ?? ""} title={stops[i]?.why}>{stops[i] ? STOP_TEXT[stops[i].kind] : ""}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      ) : (
        <p className="sweep-empty">{active ? "The first point is running…" : "No results yet: set the axes and press Start sweep."}</p>
      )}
    </>
  );
}

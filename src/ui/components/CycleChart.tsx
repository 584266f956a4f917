/**
 * The cycle chart of a protocol run: Coulombic efficiency (%) and voltage hysteresis (mV) against cycle number, one
 * point per finished cycle (model/cycleLog.ts, the per-cycle table the runner writes with --cycles-csv).
 */
import { memo, useMemo } from "react";
import { CartesianGrid, Legend, Line, LineChart, Tooltip, XAxis } from "recharts";
import type { CycleRow } from "../../model/cycleLog.ts";
import { fmt, tickText } from "../text.ts";
import { ChartCard, COLOR, niceTicks, yAxis, type ChartSize } from "./Charts.tsx";

const MARGIN = { top: 6, right: 8, bottom: 14, left: 4 };

export const CycleChart = memo(function CycleChart({ cycles, size }: { cycles: readonly CycleRow[]; size: ChartSize }) {
  const data = useMemo(() => cycles.map((r) => ({ cycle: r.cycle, ce_pct: r.ce * 100, ce_zn_pct: r.ce_zn * 100, hysteresis_mV: r.hysteresis_mV })), [cycles]);
  const last = data.at(-1);
  // Whole cycles from 0, about five ticks.
  const most = last?.cycle ?? 1;
  const every = Math.max(1, Math.ceil(most / 5));
  const ticks = Array.from({ length: Math.ceil(most / every) + 1 }, (_, k) => k * every);
  const line = (key: string, name: string, unit: string, color: string, id: string, dashed = false) => (
    <Line key={key} yAxisId={id} dataKey={key} name={name} unit={` ${unit}`} type="linear" stroke={color} strokeWidth={2}
      strokeDasharray={dashed ? "6 3" : undefined} dot={{ r: 3 }} isAnimationActive={false} />
  );
  return (
    <ChartCard testKey="cycles" title="Cycles: Coulombic efficiency and hysteresis" points={data.length} size={size}
      empty="No cycle finished yet: each point is one plate and strip."
      latest={last ? `Cycle ${last.cycle}: CE ${fmt(last.ce_pct)} %, zinc kept ${fmt(last.ce_zn_pct)} %, hysteresis ${fmt(last.hysteresis_mV)} mV` : ""}>
      <LineChart data={data} margin={MARGIN} accessibilityLayer={false}>
        <CartesianGrid stroke="#d3dae3" strokeDasharray="3 3" />
        <XAxis dataKey="cycle" type="number" domain={[0, ticks.at(-1)!]} ticks={ticks} allowDecimals={false}
          tickFormatter={tickText} tick={{ fontSize: size.font }} height={18 + 1.1 * size.font}
          label={{ value: "cycle number", position: "insideBottom", offset: -8, fontSize: size.font }} />
        {yAxis("CE (%)", size, { id: "ce", ticks: niceTicks(data, ["ce_pct", "ce_zn_pct"]) })}
        {yAxis("hysteresis (mV)", size, { id: "hys", right: true, ticks: niceTicks(data, ["hysteresis_mV"], [0]) })}
        {line("ce_pct", "CE, stripped / plated", "%", COLOR.teal, "ce")}
        {line("ce_zn_pct", "Zinc kept (no H₂, no dead Zn)", "%", COLOR.blue, "ce", true)}
        {line("hysteresis_mV", "Voltage hysteresis", "mV", COLOR.vermillion, "hys")}
        <Tooltip formatter={(v: unknown) => (typeof v === "number" ? fmt(v) : String(v ?? ""))} labelFormatter={(c) => `cycle ${String(c)}`} isAnimationActive={false} />
        <Legend verticalAlign="top" iconType="plainline" wrapperStyle={{ fontSize: size.font + 1 }} />
      </LineChart>
    </ChartCard>
  );
});

/**
 * The protocol picker: none (plating at one current, as the app always ran), a symmetric Zn||Zn cell, a Zn||Cu
 * Coulombic-efficiency cell or a rest at open circuit, with its numbers and a table of the steps it runs. A value the
 * model refuses shows the schema's message beside the picker and changes nothing. A new protocol needs a restart.
 */
import { useEffect, useId, useState } from "react";
import { APP_PROTOCOL_PRESETS } from "../../model/protocol.ts";
import { ScenarioError, type Scenario } from "../../model/scenario.ts";
import { choiceSubstrate, isChoiceId, protocolChoiceOf, withProtocolChoice, type ProtocolChoice } from "../protocolChoice.ts";
import { boxText, fmt, labelText } from "../text.ts";
import { DECIMAL } from "./Controls.tsx";

interface Props {
  scenario: Scenario;
  onChange: (s: Scenario) => void;
}

type NumberKey = "current_mA_cm2" | "capacity_mAh_cm2" | "cycles" | "duration_s";
const FIELDS: Record<NumberKey, { label: string; unit: string }> = {
  current_mA_cm2: { label: "Current density", unit: "mA/cm²" },
  capacity_mAh_cm2: { label: "Capacity per half-cycle", unit: "mAh/cm²" },
  cycles: { label: "Cycles", unit: "" },
  duration_s: { label: "Rest time", unit: "s" },
};

export function ProtocolPicker({ scenario, onChange }: Props) {
  const id = useId();
  const choice = protocolChoiceOf(scenario);
  const [error, setError] = useState<string | null>(null);
  const apply = (next: ProtocolChoice) => {
    try {
      onChange(withProtocolChoice(scenario, next));
      setError(null);
    } catch (e) {
      setError(`${e instanceof ScenarioError ? e.message : String(e)}. Nothing changed.`);
    }
  };
  const keys: NumberKey[] = choice.id === "rest" ? ["duration_s"] : choice.id === "symmetric" || choice.id === "zn-cu-ce" ? ["current_mA_cm2", "capacity_mAh_cm2", "cycles"] : [];
  const meaning = APP_PROTOCOL_PRESETS.find((p) => p.id === choice.id)?.meaning
    ?? (choice.id === "none" ? "Plating at one current for the run's duration." : "The loaded scenario's own steps.");

  return (
    <fieldset className="control-group protocol-picker" data-testid="protocol-picker">
      <legend>Protocol: plating, stripping and cycling</legend>
      <div className="param">
        <label htmlFor={`${id}-p`} className="param-label">Protocol</label>
        <select id={`${id}-p`} data-testid="protocol-select" value={choice.id}
          onChange={(e) => { if (isChoiceId(e.target.value)) apply({ ...choice, id: e.target.value }); }}>
          <option value="none">None: plating only</option>
          {APP_PROTOCOL_PRESETS.map((p) => <option key={p.id} value={p.id}>{labelText(p.label)}</option>)}
          {choice.id === "custom" && <option value="custom">The loaded scenario's steps</option>}
        </select>
        <span className="param-range">{labelText(meaning)}</span>
      </div>
      {(choice.id === "symmetric" || choice.id === "zn-cu-ce") && (
        <div className="param">
          <label htmlFor={`${id}-s`} className="param-label">Substrate</label>
          <select id={`${id}-s`} data-testid="protocol-substrate" value={choiceSubstrate(choice.id, scenario)}
            onChange={(e) => apply({ ...choice, id: e.target.value === "cu" ? "zn-cu-ce" : "symmetric" })}>
            <option value="zn">Zn (zinc foil: a Zn||Zn cell)</option>
            <option value="cu">Cu (copper: a Zn||Cu cell, no zinc to strip below the deposit)</option>
          </select>
        </div>
      )}
      {keys.map((k) => (
        <NumberBox key={k} k={k} value={choice[k]} onCommit={(v) => apply({ ...choice, [k]: v })} />
      ))}
      {error && <p className="param-error" role="alert" data-testid="protocol-error">{labelText(error)}</p>}
      {scenario.protocol && <StepTable scenario={scenario} />}
    </fieldset>
  );
}

/** One number of the protocol, typed; the model checks it when it is committed (blur or Enter). */
function NumberBox({ k, value, onCommit }: { k: NumberKey; value: number; onCommit: (v: number) => void }) {
  const id = useId();
  const [text, setText] = useState(boxText(value));
  useEffect(() => setText(boxText(value)), [value]);
  const f = FIELDS[k];
  const commit = () => {
    const t = text.trim();
    // Not a number: the schema's own words for it (a number is what the field takes).
    onCommit(DECIMAL.test(t) ? Number(t) : (t as unknown as number));
  };
  return (
    <div className="param" data-protocol-param={k}>
      <label htmlFor={id} className="param-label">{f.label}{f.unit && <span className="param-unit"> ({f.unit})</span>}</label>
      <input id={id} className="param-number" type="text" inputMode="decimal" value={text} data-testid={`protocol-${k}`}
        onChange={(e) => setText(e.target.value)} onBlur={commit} onKeyDown={(e) => { if (e.key === "Enter") commit(); }} />
    </div>
  );
}

const untilText = (u: { time_s?: number; capacity_mAh_cm2?: number; voltage_V?: number }) =>
  [
    u.capacity_mAh_cm2 !== undefined && `${fmt(u.capacity_mAh_cm2)} mAh/cm²`,
    u.time_s !== undefined && `${fmt(u.time_s)} s`,
    u.voltage_V !== undefined && `E = ${u.voltage_V > 0 ? "+" : ""}${fmt(u.voltage_V)} V vs Zn`,
  ].filter(Boolean).join(" or ");

/** The steps of one cycle, each with its current and its limits, and how often they repeat. */
function StepTable({ scenario }: { scenario: Scenario }) {
  const steps = scenario.protocol!;
  return (
    <table className="protocol-steps" data-testid="protocol-steps">
      <caption>
        Steps of one cycle, × {scenario.cycles ?? 1} cycle{(scenario.cycles ?? 1) === 1 ? "" : "s"} on {scenario.substrate === "cu" ? "copper" : "zinc"}; at most {fmt(scenario.duration_s)} s in all
      </caption>
      <thead><tr><th>#</th><th>Step</th><th>Current (mA/cm²)</th><th>Until (first reached)</th></tr></thead>
      <tbody>
        {steps.map((st, k) => (
          <tr key={k} data-step={st.step}>
            <td>{k + 1}</td>
            <td>{st.step}</td>
            <td>{st.step === "rest" ? "0 (open circuit)" : `${st.step === "strip" ? "−" : ""}${fmt(st.current_mA_cm2 ?? scenario.current_mA_cm2)}`}</td>
            <td>{untilText(st.until)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

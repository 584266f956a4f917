import { COATING_PARAMS, DESIGN_TARGETS, type CoatingKey, type ParamSpec } from "../../model/params.ts";
import { presetValues } from "../../model/presets.ts";
import { isCited, type Preset, type PresetValue } from "../../model/presetTypes.ts";
import { fmt, formulaText, labelText, unitText } from "../text.ts";

/** The review's three principles; coating properties are grouped under them. */
export const PRINCIPLES = [
  { id: "I", title: "Fast, uniform Zn²⁺ transport" },
  { id: "II", title: "Suppression of corrosion and hydrogen evolution" },
  { id: "III", title: "Mechanical stability" },
] as const;

/** Orders principle numerals I, II, III. */
export const byNumeral = (a: string, b: string) =>
  PRINCIPLES.findIndex((p) => p.id === a) - PRINCIPLES.findIndex((p) => p.id === b);

function Value({ spec, v }: { spec: ParamSpec; v: number }) {
  if (spec.unit === "0/1") return <span className="value">{v ? "yes" : "no"}</span>;
  return (
    <span className="value">
      <data value={v}>{fmt(v, 4)}</data>{" "}
      {spec.unit === "1" ? <span className="unit dimensionless">(dimensionless)</span> : <span className="unit">{unitText(spec.unit)}</span>}
    </span>
  );
}

function Source({ pv }: { pv: PresetValue }) {
  if (isCited(pv)) {
    return (
      <span className="source cited">
        <span className="badge badge-cited">cited</span> <cite>{pv.cite}</cite>
      </span>
    );
  }
  const why = pv.estimate.replace(/^estimate:\s*/, "");
  return (
    <details className="source estimate">
      <summary>
        <span className="badge badge-estimate">estimate</span>
        <span className="visually-hidden">: show the reasoning</span>
      </summary>
      <p>{why}</p>
    </details>
  );
}

/**
 * A preset's numbers, each with its unit and its source, and the review's design targets met or not. `current`: the
 * values the run has now (the preset's with the controls' changes); the targets are judged on them, and a value
 * the controls changed says so beside the preset's own.
 */
export function DesignCard({ preset, current }: { preset: Preset; current?: Record<CoatingKey, number> }) {
  const own = presetValues(preset);
  const values = current ?? own;
  const changed = (k: CoatingKey) => values[k] !== own[k];
  const targets = DESIGN_TARGETS.map((t) => ({ text: t.text, key: t.key, met: t.ok(values) }));
  const met = targets.filter((t) => t.met).length;
  const groups: { id: string; title: string; params: ParamSpec[] }[] = PRINCIPLES.map((pr) => ({
    ...pr, params: COATING_PARAMS.filter((p) => p.principle === pr.id),
  }));
  const other = COATING_PARAMS.filter((p) => !PRINCIPLES.some((pr) => pr.id === p.principle));
  if (other.length > 0) groups.push({ id: "other", title: "Other properties", params: other });

  return (
    <article className="design-card" aria-labelledby="card-title" data-testid="design-card" data-preset-id={preset.id}>
      <header className="card-header">
        <h2 id="card-title">{formulaText(preset.name)}</h2>
        <p className="card-kind">{preset.kind}</p>
        <p className="card-summary">{labelText(preset.summary)}</p>
        <p className="card-principles">
          {preset.principles.length === 0
            ? "Reference: no interface layer."
            : <>Mainly serves principle{preset.principles.length > 1 ? "s" : ""}{" "}
                {[...preset.principles].sort(byNumeral).map((pr) => (
                  <span key={pr} className={`tag principle-${pr}`}>{pr}</span>
                ))}</>}
        </p>
      </header>

      <section aria-labelledby="targets-title" className="targets">
        <h3 id="targets-title">Design targets of the review: {met} of {targets.length} met{current && COATING_PARAMS.some((p) => changed(p.key as CoatingKey)) ? " (with your changes)" : ""}</h3>
        <ul>
          {targets.map((t) => (
            <li key={t.key} className={t.met ? "target met" : "target not-met"} data-target={t.key} data-met={t.met}>
              <span className="mark" aria-hidden="true">{t.met ? "✓" : "✗"}</span>
              <span className="verdict">{t.met ? "Met" : "Not met"}</span>
              <span className="target-text">{labelText(t.text)}</span>
            </li>
          ))}
        </ul>
      </section>

      <section aria-labelledby="props-title" className="props">
        <h3 id="props-title">Coating properties</h3>
        <table className="props-table">
          <caption className="visually-hidden">Coating properties of {formulaText(preset.name)}, grouped by principle, with units and sources</caption>
          <thead>
            <tr>
              <th scope="col">Property</th>
              <th scope="col">Value</th>
              <th scope="col">Source</th>
            </tr>
          </thead>
          {groups.map((g) => (
            <tbody key={g.id} className={`group principle-${g.id}-group`}>
              <tr className="group-row">
                <th scope="rowgroup" colSpan={3}>
                  <span className={`tag principle-${g.id}`}>{g.id}</span> {g.title}
                </th>
              </tr>
              {g.params.map((spec) => (
                <tr key={spec.key} data-param={spec.key}>
                  <th scope="row" className="prop">
                    <span className="prop-label">{labelText(spec.label)}</span>
                    <span className="prop-meaning">{labelText(spec.meaning)}</span>
                  </th>
                  <td className="prop-value"><Value spec={spec} v={values[spec.key as CoatingKey]} /></td>
                  <td className="prop-source">
                    {changed(spec.key as CoatingKey) ? (
                      <span className="source set" data-testid={`set-${spec.key}`}>
                        <span className="badge badge-set">set by you</span> (preset: <Value spec={spec} v={own[spec.key as CoatingKey]} />)
                      </span>
                    ) : <Source pv={preset.values[spec.key as CoatingKey]} />}
                  </td>
                </tr>
              ))}
            </tbody>
          ))}
        </table>
      </section>
    </article>
  );
}

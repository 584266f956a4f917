import { BYPRODUCT_FIELDS, CORROSION_FIELDS, PH_FIELDS, PROTOCOL_FIELDS, SERIES_FIELDS, type SeriesRow } from "./metrics.ts";

/** The series as CSV: a header of the field names (units in the names), one row per sample; a protocol run's add its columns. */
export function seriesToCsv(series: readonly SeriesRow[]): string {
  const first = series[0];
  const fields: readonly string[] = [
    ...SERIES_FIELDS,
    ...(first && PROTOCOL_FIELDS[0] in first ? PROTOCOL_FIELDS : []),
    ...(first && CORROSION_FIELDS[0] in first ? CORROSION_FIELDS : []),
    ...(first && PH_FIELDS[0] in first ? PH_FIELDS : []),
    ...(first && BYPRODUCT_FIELDS[0] in first ? BYPRODUCT_FIELDS : []),
  ];
  const lines = [fields.join(",")];
  for (const row of series) lines.push(fields.map((k) => String((row as Record<string, number>)[k])).join(","));
  return lines.join("\n") + "\n";
}

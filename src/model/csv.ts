import { PROTOCOL_FIELDS, SERIES_FIELDS, type SeriesRow } from "./metrics.ts";

/** The series as CSV: a header of the field names (units in the names), one row per sample; a protocol run's add its columns. */
export function seriesToCsv(series: readonly SeriesRow[]): string {
  const fields: readonly string[] = series.length && PROTOCOL_FIELDS[0] in series[0]! ? [...SERIES_FIELDS, ...PROTOCOL_FIELDS] : SERIES_FIELDS;
  const lines = [fields.join(",")];
  for (const row of series) lines.push(fields.map((k) => String((row as Record<string, number>)[k])).join(","));
  return lines.join("\n") + "\n";
}

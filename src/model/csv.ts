import { SERIES_FIELDS, type SeriesRow } from "./metrics.ts";

/** The series as CSV: a header of the field names (units in the names), one row per sample. */
export function seriesToCsv(series: readonly SeriesRow[]): string {
  const lines = [SERIES_FIELDS.join(",")];
  for (const row of series) lines.push(SERIES_FIELDS.map((k) => String(row[k])).join(","));
  return lines.join("\n") + "\n";
}

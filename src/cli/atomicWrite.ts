import { renameSync, writeFileSync } from "node:fs";

/** Writes the whole text to a side file, then renames it over `path`: a kill leaves the old file or the new, never half. */
export function writeWhole(path: string, text: string): void {
  const side = `${path}.partial`;
  writeFileSync(side, text);
  renameSync(side, path);
}

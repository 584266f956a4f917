/** The WGSL sources for Node: read from shaders/ on disk (the browser imports the same files with ?raw). */
import { readFileSync } from "node:fs";
import type { ShaderSources } from "./engine.ts";

const NAMES: (keyof ShaderSources)[] = [
  "params", "sum_slots", "columns", "reaction", "operators", "multigrid", "pcg", "potential", "growth", "concentration", "reduce_metrics", "render_field",
];

export function loadShaders(): ShaderSources {
  const dir = new URL("../../shaders/", import.meta.url);
  return Object.fromEntries(NAMES.map((n) => [n, readFileSync(new URL(`${n}.wgsl`, dir), "utf8")])) as unknown as ShaderSources;
}

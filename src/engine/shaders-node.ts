/** The WGSL sources for Node: read from shaders/ on disk (the browser imports the same files with ?raw). */
import { readFileSync } from "node:fs";
import { SHADER_NAMES, type ShaderSources } from "./bindings.ts";

export function loadShaders(): ShaderSources {
  const dir = new URL("../../shaders/", import.meta.url);
  return Object.fromEntries(SHADER_NAMES.map((n) => [n, readFileSync(new URL(`${n}.wgsl`, dir), "utf8")])) as unknown as ShaderSources;
}

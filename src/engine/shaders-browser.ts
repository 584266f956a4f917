/** The WGSL sources in the browser: the same files as Node reads, imported as text by Vite. */
import type { ShaderSources } from "./bindings.ts";
import params from "../../shaders/params.wgsl?raw";
import sum_slots from "../../shaders/sum_slots.wgsl?raw";
import cells from "../../shaders/cells.wgsl?raw";
import columns from "../../shaders/columns.wgsl?raw";
import reaction from "../../shaders/reaction.wgsl?raw";
import operators from "../../shaders/operators.wgsl?raw";
import multigrid from "../../shaders/multigrid.wgsl?raw";
import multigrid_pcr from "../../shaders/multigrid_pcr.wgsl?raw";
import pcg from "../../shaders/pcg.wgsl?raw";
import potential from "../../shaders/potential.wgsl?raw";
import growth from "../../shaders/growth.wgsl?raw";
import concentration from "../../shaders/concentration.wgsl?raw";
import reduce_metrics from "../../shaders/reduce_metrics.wgsl?raw";
import render_field from "../../shaders/render_field.wgsl?raw";
import dead from "../../shaders/dead.wgsl?raw";
import allen_cahn from "../../shaders/allen_cahn.wgsl?raw";
import ac_substeps from "../../shaders/ac_substeps.wgsl?raw";
import film from "../../shaders/film.wgsl?raw";
import ph from "../../shaders/ph.wgsl?raw";

export const SHADERS: ShaderSources = {
  params, sum_slots, cells, columns, reaction, operators, multigrid, multigrid_pcr, pcg, potential, growth, concentration, reduce_metrics, render_field, dead, allen_cahn, ac_substeps, film, ph,
};

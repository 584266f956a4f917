// Allen-Cahn substeps of a long step (a rest's: src/reference/acSubsteps.ts, docs/MODEL.md "Time stepping"): the
// change of xi over the step is that of P.acSub explicit substeps of dt / m from the step's xi, each within the
// update's monotone bound. The change is kept as a sum of increments in the xi buffer's fourth and fifth fields
// (n cells each: resources.ts), one substep's from the other's; the reaction reads the last as its
// Allen-Cahn rate times dt. Dead cells stand still; capillarity never takes a cell below a copper substrate's metal.
// Bindings: src/engine/bindings.ts MODULES.acSub (group 1). Includes allen_cahn.wgsl (acRateOf).

/** xi of cell k after the substeps so far (their change at `src`; none before the first). */
fn acX(k: u32, src: u32, first: bool) -> f32 {
  return select(xi[k] + xi[src + k], xi[k], first);
}

fn acSubstep(g: vec3u, nwg: vec3u, src: u32, dst: u32, first: bool) {
  let k = cellIndex(g, nwg);
  let nx = P.nx; let n = nx * P.ny;
  if (k >= n) { return; }
  if (xi[2u * n + k] > 0.5) { xi[dst + k] = 0.0; return; }
  let i = k % nx; let j = k / nx;
  let row = j * nx;
  let x = acX(k, src, first);
  let xW = acX(row + west(i), src, first);
  let xE = acX(row + east(i), src, first);
  let xS = select(x, acX(k - nx, src, first), j > 0u);
  let xN = select(x, acX(k + nx, src, first), j < P.ny - 1u);
  var d = (P.dt / f32(P.acSub)) * acRateOf(x, xW, xE, xS, xN);
  if (P.cu == 1u && d < 0.0) { d = max(d, min(0.0, xi[n + k] - x)); }
  xi[dst + k] = select(xi[src + k], 0.0, first) + d;
}

/** The first substep (into the fourth field), then the others alternating between the two. */
@compute @workgroup_size(256)
fn acFirst(@builtin(global_invocation_id) g: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let n = P.nx * P.ny;
  acSubstep(g, nwg, 3u * n, 3u * n, true);
}
@compute @workgroup_size(256)
fn acForth(@builtin(global_invocation_id) g: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let n = P.nx * P.ny;
  acSubstep(g, nwg, 3u * n, 4u * n, false);
}
@compute @workgroup_size(256)
fn acBack(@builtin(global_invocation_id) g: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let n = P.nx * P.ny;
  acSubstep(g, nwg, 4u * n, 3u * n, false);
}

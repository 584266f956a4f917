// The pH field and the by-product (src/reference/alkalinity.ts, byproduct.ts; docs/MODEL.md "pH", "By-product"):
// the alkalinity w = [OH-] - [H+] (mol/m3), kept as its deviation from the reservoir's, dw = w - w0 (so the
// reservoir is 0, as dc's), made by HER (one OH- per electron), diffused by backward Euler on the concentration's
// faces times D_OH / D (the system w: its own multigrid), and with the by-product capped at the saturation of
// Zn4(OH)6SO4 over each liquid cell's Zn2+: an obstacle problem, solved by the primal-dual active set in a fixed
// number of rounds a step (PH_ROUNDS, step.ts; the set starts from the last step's). What a held cell's own
// equation leaves over precipitated there: 6 OH- and 4 Zn2+ a formula unit.
// The c buffer (dc) holds dc, the step before's dc, dw, the by-product m, the held set and the cap (n cells each).
// Bindings: src/engine/bindings.ts MODULES.ph (group 1). Includes film.wgsl (filmAt) and the ZHS_ constants.

const BIG = 3.0e38;
const KW = 1e-8; // (mol/m3)^2
const LN10 = 2.302585092994046;

fn dwAt(k: u32) -> f32 { return dc[2u * P.nx * P.ny + k]; }
fn heldAt(k: u32) -> bool { return dc[4u * P.nx * P.ny + k] > 0.5; }
fn capAt(k: u32) -> f32 { return dc[5u * P.nx * P.ny + k]; }

/** HER's OH- into dw, after the step's growth (its HER current per cell in qcell's second half). */
@compute @workgroup_size(256)
fn phSource(@builtin(global_invocation_id) g: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let k = cellIndex(g, nwg);
  let n = P.nx * P.ny;
  if (k >= n) { return; }
  dc[2u * n + k] += qcell[n + k] * P.dt / ZHS_FARADAY;
}

/**
 * The step's caps, before its first round: the saturation alkalinity over each liquid cell's Zn2+ (byproduct.ts
 * saturation), none (BIG) in metal or without the by-product, where a held cell is let go; the solve starts from dw.
 */
@compute @workgroup_size(256)
fn phCap(@builtin(global_invocation_id) g: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let k = cellIndex(g, nwg);
  let n = P.nx * P.ny;
  if (k >= n) { return; }
  var cap = BIG;
  let z = conc(k) * P.c0;
  if (P.byproduct == 1u && xi[k] < 0.5 && z > 0.0) {
    // log10 x = ln x / ln 10 (WGSL has no log10).
    let oh = 1000.0 * exp((ZHS_LOG_KSP * LN10 - 4.0 * log(z / 1000.0) - log(P.c0 / 1000.0)) / 6.0);
    cap = oh - KW / oh - P.w0;
  }
  dc[5u * n + k] = cap;
  if (cap >= BIG) { dc[4u * n + k] = 0.0; }
  wX[k] = dwAt(k);
}

/**
 * A round's system: each cell's faces (the concentration's times D_OH / D) and right side dw; a held cell is a
 * Dirichlet value for its neighbours (alkalinity.ts holdCell, gathered): its faces move to their diagonals and
 * right sides. Later rounds start from the last round's solution.
 */
@compute @workgroup_size(256)
fn phSetup(@builtin(global_invocation_id) g: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let k = cellIndex(g, nwg);
  let n = P.nx * P.ny;
  if (k >= n) { return; }
  let nx = P.nx;
  let i = k % nx; let j = k / nx;
  let W = j * nx + west(i); let E = j * nx + east(i);
  let held = heldAt(k);
  var ax = P.dOH * cA[k].x; var ay = P.dOH * cA[k].y;
  if (nx == 1u || held || heldAt(E)) { ax = 0.0; }
  if (held || (j < P.ny - 1u && heldAt(k + nx))) { ay = 0.0; }
  var e = 1.0; var b = dwAt(k);
  if (held) {
    b = capAt(k);
    wX[k] = b;
  } else {
    if (nx > 1u) {
      if (heldAt(E)) { let a = P.dOH * cA[k].x; e += a; b += a * capAt(E); }
      if (heldAt(W)) { let a = P.dOH * cA[W].x; e += a; b += a * capAt(W); }
    }
    if (j < P.ny - 1u && heldAt(k + nx)) { let a = P.dOH * cA[k].y; e += a; b += a * capAt(k + nx); }
    if (j > 0u && heldAt(k - nx)) { let a = P.dOH * cA[k - nx].y; e += a; b += a * capAt(k - nx); }
  }
  wA[k] = vec4f(ax, ay, e, 0.0);
  wB[k] = b;
}

/** A held cell's own equation, with its own faces and right side, at the solution: what it leaves over precipitated. */
fn leftOver(k: u32) -> f32 {
  let nx = P.nx;
  let i = k % nx; let j = k / nx;
  let u = wX[k];
  var flow = 0.0;
  if (nx > 1u) {
    let W = j * nx + west(i); let E = j * nx + east(i);
    flow = P.dOH * (cA[W].x * (u - wX[W]) + cA[k].x * (u - wX[E]));
  }
  if (j > 0u) { flow += P.dOH * cA[k - nx].y * (u - wX[k - nx]); }
  var up = 0.0;
  if (j < P.ny - 1u) { up = wX[k + nx]; }
  flow += P.dOH * cA[k].y * (u - up);
  return dwAt(k) - u - flow;
}

/** The active set's update: hold the cells past their cap, let go of the held ones that would take alkalinity back. */
@compute @workgroup_size(256)
fn phActive(@builtin(global_invocation_id) g: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let k = cellIndex(g, nwg);
  let n = P.nx * P.ny;
  if (k >= n) { return; }
  var held = heldAt(k);
  if (!held && wX[k] > capAt(k)) { held = true; }
  else if (held && leftOver(k) < 0.0) { held = false; }
  dc[4u * n + k] = select(0.0, 1.0, held);
}

/** The step's end: dw the solution; a held cell's left-over precipitates (byproduct.ts step), taking Zn2+ too. */
@compute @workgroup_size(256)
fn phFinish(@builtin(global_invocation_id) g: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let k = cellIndex(g, nwg);
  let n = P.nx * P.ny;
  if (k >= n) { return; }
  var r = 0.0;
  if (P.byproduct == 1u && heldAt(k)) { r = leftOver(k); }
  let m = dc[3u * n + k];
  let d = max(-m, r / 6.0);
  dc[2u * n + k] = wX[k] + (r - 6.0 * d);
  dc[k] = dc[k] - 4.0 * d / P.c0;
  dc[3u * n + k] = m + d;
}

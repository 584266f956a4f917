// Conjugate gradients preconditioned by one V-cycle (the host encodes the V-cycle between these passes).
// Converged solves set `done`; later passes of the same solve (the V-cycle's too) do nothing, so a fixed number
// of encoded iterations costs no readback. The residual r lives in the multigrid's level-0 right side and the
// preconditioned z in its level-0 unknown, so the V-cycle reads and writes them in place: no copies.
// Reductions: each thread of a partial pass sums CHUNK cells into its own slot (no workgroup barriers, which
// software rasterisers run as coroutines, hundreds of times slower); one workgroup then sums the slots.
// massTol: the most the residual's sum may be (for the concentration, the Zn2+ a step may lose; see
// src/reference/multigrid.ts solve); a huge number for the potential. shift: 1 where the unknown is u - 1 (the
// concentration's dc): the tolerance is then relative to the right side of the u form, b + A 1, as on the CPU.
// Lanes (shaders/multigrid.wgsl): one solve may carry several right sides with the same operator A, lane z of the
// dispatch each, with its own tolerance (tol.x lane 0, tol.y lane 1), scalars and done flag. A lane's vectors (X,
// RR, Z, Pv, AU and s) lie `stride` cells after the previous lane's, its scalars CG_LANE slots after, its partial sums
// one reduction's slots after.
// sOff: where s = A p starts in Pv, after every lane's p (so that this module binds 8 storage buffers, the most
// WebGPU guarantees a shader stage).
struct Pc { n: u32, stride: u32, tol: vec2f, absTol: f32, massTol: f32, shift: f32, sOff: u32 };
// Bindings (C: Pc, PS, A, X, RR, Z, Pv, AU, partial, W): src/engine/bindings.ts MODULES.pcg (group 0).
// PS slots of a lane: CG_RZ, CG_SCALE, CG_DONE, CG_ITER, CG_ALPHA, CG_BETA, CG_RES, CG_LANE slots a lane; the
// engine prepends them from src/engine/layout.ts (CG), which the readback of the iterations also reads.

const CHUNK = 64u; // cells per thread of a partial pass: a workgroup of 64 covers 4096 cells
// The final sums take RED_THREADS threads (sum_slots.wgsl; the engine sets 64 on a software adapter, 256 on a
// hardware GPU, where the slots are many, 16384 at 1024^2, and each thread's loads are a chain of memory round trips).
var<workgroup> stop: f32;

/** Slots of one reduction's partial sums (a lane's). */
fn slots() -> u32 { return ((C.n + 4095u) / 4096u) * 64u; }
var<private> lx: u32;
var<private> lps: u32;
var<private> lpart: u32;
var<private> ltol: f32;
/** Takes the invocation's lane (its workgroup's z): call first in every entry point. */
fn enterLane(z: u32) { lx = z * C.stride; lps = z * CG_LANE; lpart = z * slots(); ltol = select(C.tol.x, C.tol.y, z == 1u); }

fn wgIndex(wg: vec3u, nwg: vec3u) -> u32 { return wg.x + wg.y * nwg.x; }
/** Cell q of thread t in workgroup w (consecutive threads read consecutive cells). */
fn cellOf(w: u32, q: u32, t: u32) -> u32 { return w * 4096u + q * 64u + t; }
/**
 * The per-iteration partial passes take a thread's cells eight at a time, the eight cells' loads first and then
 * their arithmetic in the cells' order (the same sums as one cell at a time, bit for bit): on a hardware GPU a
 * thread's loop was a chain of 64 memory round trips (matvecPartial took four times what its memory traffic
 * alone would; docs/PERFORMANCE.md). Written out, not as arrays, so that they stay in registers on every backend (WGSL
 * zero-fills a function's arrays). Past the last cell the loads read cell n - 1, and nothing of it is used.
 */
fn inCells(k: u32) -> u32 { return min(k, C.n - 1u); }
/** The sum of the partial slots, by one workgroup of RED_THREADS (sum_slots.wgsl). */
fn total(t: u32) -> vec4f { return sumSlots(t, lpart, slots(), RED_THREADS); }
fn done() -> bool { return PS[lps + CG_DONE] > 0.5; }
/** The CPU's test (src/reference/multigrid.ts solve): relative residual and residual sum, or the absolute floor. */
fn converged(res: f32, scale: f32, rsum: f32) -> bool {
  return (res <= ltol && abs(rsum) <= C.massTol) || res * scale <= C.absTol;
}
/** done(), as a value uniform over the workgroup (so a converged solve's final passes return before any barrier). */
fn doneWG(t: u32) -> bool {
  if (t == 0u) { stop = PS[lps + CG_DONE]; }
  return workgroupUniformLoad(&stop) > 0.5;
}

/** Residual r = b - A X in place of b (the level-0 right side), with |r|^2, |b|^2 and sum(r). */
@compute @workgroup_size(64)
fn initPartial(@builtin(workgroup_id) wg: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) t: u32) {
  enterLane(wg.z);
  let w = wgIndex(wg, nwg);
  let nx = W.x; let ny = W.y;
  var v = vec4f(0.0);
  for (var q = 0u; q < CHUNK; q++) {
    let k = cellOf(w, q, t);
    if (k >= C.n) { break; }
    let i = k % nx; let j = k / nx;
    let row = j * nx;
    let Wk = row + select(i - 1u, nx - 1u, i == 0u); let Ek = row + select(i + 1u, 0u, i == nx - 1u);
    let up = X[lx + k];
    var au = A[k].z * up + A[Wk].x * (up - X[lx + Wk]) + A[k].x * (up - X[lx + Ek]);
    if (j > 0u) { au += A[k - nx].y * (up - X[lx + k - nx]); }
    if (j == ny - 1u) { au += A[k].y * up; } else { au += A[k].y * (up - X[lx + k + nx]); }
    let b = RR[lx + k];
    let r = b - au;
    RR[lx + k] = r;
    // A 1: the diagonal term, plus the Dirichlet coupling on the top row (the face terms of a constant cancel).
    let bu = b + C.shift * (A[k].z + select(0.0, A[k].y, j == ny - 1u));
    v += vec4f(r * r, bu * bu, r, 0.0);
  }
  partial[lpart + w * 64u + t] = v;
}
@compute @workgroup_size(RED_THREADS)
fn initFinal(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_index) t: u32) {
  enterLane(wg.z);
  let s = total(t);
  if (t != 0u) { return; }
  let bn = sqrt(s.y / f32(C.n));
  let scale = select(1.0, bn, bn > 0.0);
  let res = sqrt(s.x / f32(C.n)) / scale;
  PS[lps + CG_SCALE] = scale; PS[lps + CG_RES] = res; PS[lps + CG_ITER] = 0.0; PS[lps + CG_RZ] = 0.0;
  PS[lps + CG_DONE] = select(0.0, 1.0, converged(res, scale, s.z));
}

// One iteration is the V-cycle (u = M r, into Z) and four passes, with one reduction where the textbook PCG has
// two before the update (Chronopoulos and Gear's variant): matvecPartial computes w = A u with the partial sums of
// gamma = (r, u) and delta = (w, u); cgFinal takes beta = gamma / gamma_last and alpha = gamma / (delta - beta gamma /
// alpha_last), which is gamma / (p, A p) in exact arithmetic; updateXR carries the direction and its image by the
// recurrences p = u + beta p, s = w + beta s (s = A p), and x += alpha p, r -= alpha s, with the partial sums of the
// convergence test; xrFinal sets done. Every vector update is pointwise, so each pass reads and writes a cell's own
// values only (the matrix-vector product reads u, which no pass of the iteration writes).
/** What the five-point operator needs at one cell of the finest level: A's couplings and u's values; r at the cell. */
struct Cell5 { a: vec4f, aw: f32, as_: f32, u: f32, uw: f32, ue: f32, us: f32, un: f32, j: u32, r: f32 };
/** Cell k's loads for (A u)[k] and (r u)[k] (the couplings past the top and bottom rows go unused). */
fn loadU(kIn: u32) -> Cell5 {
  let k = inCells(kIn);
  let nx = W.x;
  let i = k % nx; let j = k / nx;
  let row = j * nx;
  let Wk = row + select(i - 1u, nx - 1u, i == 0u); let Ek = row + select(i + 1u, 0u, i == nx - 1u);
  let Sk = select(k, k - nx, j > 0u); let Nk = select(k, k + nx, j + 1u < W.y);
  return Cell5(A[k], A[Wk].x, A[Sk].y, Z[lx + k], Z[lx + Wk], Z[lx + Ek], Z[lx + Sk], Z[lx + Nk], j, RR[lx + k]);
}
/** (A u) at the cell c was loaded for: initPartial's arithmetic, in the same order. */
fn applyCell(c: Cell5) -> f32 {
  var au = c.a.z * c.u + c.aw * (c.u - c.uw) + c.a.x * (c.u - c.ue);
  if (c.j > 0u) { au += c.as_ * (c.u - c.us); }
  if (c.j == W.y - 1u) { au += c.a.y * c.u; } else { au += c.a.y * (c.u - c.un); }
  return au;
}

/** w[k] = (A u)[k] into AU, and (r u, w u) at k added to v (v as it was past the last cell). */
fn matvecAdd(v: vec2f, k: u32, c: Cell5) -> vec2f {
  if (k >= C.n) { return v; }
  let w = applyCell(c);
  AU[lx + k] = w;
  return v + vec2f(c.r * c.u, w * c.u);
}

@compute @workgroup_size(64)
fn matvecPartial(@builtin(workgroup_id) wg: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) t: u32) {
  enterLane(wg.z);
  if (done()) { return; }
  let w = wgIndex(wg, nwg);
  var v = vec2f(0.0);
  for (var q = 0u; q < CHUNK; q += 8u) {
    let k = cellOf(w, q, t);
    let l0 = loadU(k); let l1 = loadU(k + 64u); let l2 = loadU(k + 128u); let l3 = loadU(k + 192u);
    let l4 = loadU(k + 256u); let l5 = loadU(k + 320u); let l6 = loadU(k + 384u); let l7 = loadU(k + 448u);
    v = matvecAdd(v, k, l0); v = matvecAdd(v, k + 64u, l1); v = matvecAdd(v, k + 128u, l2); v = matvecAdd(v, k + 192u, l3);
    v = matvecAdd(v, k + 256u, l4); v = matvecAdd(v, k + 320u, l5); v = matvecAdd(v, k + 384u, l6); v = matvecAdd(v, k + 448u, l7);
  }
  partial[lpart + w * 64u + t] = vec4f(v, 0.0, 0.0);
}
/**
 * beta and alpha from gamma = (r, u) and delta = (w, u). A solve's first iteration (or one after a zero gamma or
 * alpha, which only a zero residual gives, already converged) starts the directions anew: beta 0, alpha gamma / delta.
 */
@compute @workgroup_size(RED_THREADS)
fn cgFinal(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_index) t: u32) {
  enterLane(wg.z);
  if (doneWG(t)) { return; }
  let s = total(t);
  if (t != 0u) { return; }
  let gamma = s.x;
  let last = PS[lps + CG_RZ]; let alphaLast = PS[lps + CG_ALPHA];
  let restart = PS[lps + CG_ITER] == 0.0 || last == 0.0 || alphaLast == 0.0;
  let beta = select(gamma / last, 0.0, restart);
  let pap = s.y - select(beta * gamma / alphaLast, 0.0, restart);
  PS[lps + CG_BETA] = beta;
  PS[lps + CG_ALPHA] = select(gamma / pap, 0.0, pap == 0.0);
  PS[lps + CG_RZ] = gamma;
}

/** A cell's values for the update: x, p (last direction), u, s (last A p), w and r. */
struct XR { x: f32, p: f32, u: f32, s: f32, w: f32, r: f32 };
fn xrLoad(k: u32) -> XR {
  let c = lx + inCells(k);
  return XR(X[c], Pv[c], Z[c], Pv[C.sOff + c], AU[c], RR[c]);
}
/** The recurrences at cell k (see matvecPartial), with (r^2, r) of the new r added to v (v as it was past the last cell). */
fn xrAdd(v: vec2f, k: u32, a: f32, b: f32, l: XR) -> vec2f {
  if (k >= C.n) { return v; }
  let c = lx + k;
  let p = l.u + b * l.p;
  let s = l.w + b * l.s;
  Pv[c] = p; Pv[C.sOff + c] = s;
  X[c] = l.x + a * p;
  let r = l.r - a * s;
  RR[c] = r;
  return v + vec2f(r * r, r);
}

@compute @workgroup_size(64)
fn updateXR(@builtin(workgroup_id) wg: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) t: u32) {
  enterLane(wg.z);
  if (done()) { return; }
  let w = wgIndex(wg, nwg);
  let a = PS[lps + CG_ALPHA]; let b = PS[lps + CG_BETA];
  var v = vec2f(0.0);
  for (var q = 0u; q < CHUNK; q += 8u) {
    let k = cellOf(w, q, t);
    let l0 = xrLoad(k); let l1 = xrLoad(k + 64u); let l2 = xrLoad(k + 128u); let l3 = xrLoad(k + 192u);
    let l4 = xrLoad(k + 256u); let l5 = xrLoad(k + 320u); let l6 = xrLoad(k + 384u); let l7 = xrLoad(k + 448u);
    v = xrAdd(v, k, a, b, l0); v = xrAdd(v, k + 64u, a, b, l1); v = xrAdd(v, k + 128u, a, b, l2); v = xrAdd(v, k + 192u, a, b, l3);
    v = xrAdd(v, k + 256u, a, b, l4); v = xrAdd(v, k + 320u, a, b, l5); v = xrAdd(v, k + 384u, a, b, l6); v = xrAdd(v, k + 448u, a, b, l7);
  }
  partial[lpart + w * 64u + t] = vec4f(v.x, 0.0, v.y, 0.0);
}
@compute @workgroup_size(RED_THREADS)
fn xrFinal(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_index) t: u32) {
  enterLane(wg.z);
  if (doneWG(t)) { return; }
  let s = total(t);
  if (t != 0u) { return; }
  let scale = PS[lps + CG_SCALE];
  let res = sqrt(s.x / f32(C.n)) / scale;
  PS[lps + CG_RES] = res;
  PS[lps + CG_ITER] += 1.0;
  if (converged(res, scale, s.z)) { PS[lps + CG_DONE] = 1.0; }
}

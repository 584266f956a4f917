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
// RR, Z, Pv, AP) lie `stride` cells after the previous lane's, its scalars 16 slots after, its partial sums one
// reduction's slots after.
// Pv has two halves `half` cells apart: iteration k's matvecPartial reads the search direction of iteration k - 1
// from half k % 2 and writes iteration k's into the other (see loadPv).
struct Pc { n: u32, stride: u32, tol: vec2f, absTol: f32, massTol: f32, shift: f32, half: u32 };
@group(0) @binding(0) var<uniform> C: Pc;
@group(0) @binding(1) var<storage, read_write> PS: array<f32>;
@group(0) @binding(2) var<storage, read_write> A: array<vec4f>;
@group(0) @binding(3) var<storage, read_write> X: array<f32>;
@group(0) @binding(4) var<storage, read_write> RR: array<f32>;
@group(0) @binding(5) var<storage, read_write> Z: array<f32>;
@group(0) @binding(6) var<storage, read_write> Pv: array<f32>;
@group(0) @binding(7) var<storage, read_write> AP: array<f32>;
@group(0) @binding(8) var<storage, read_write> partial: array<vec4f>;
// PS slots (a lane's).
const RZ = 0u; const PAP = 1u; const RN = 2u; const SCALE = 3u; const DONE = 4u; const ITER = 5u;
const ALPHA = 6u; const BETA = 7u; const RES = 8u;
// The finest level's width, for the matrix-vector product: its neighbours.
@group(0) @binding(9) var<uniform> W: vec4u; // nx, ny

const CHUNK = 64u; // cells per thread of a partial pass: a workgroup of 64 covers 4096 cells
// Threads of the final sums (an override: 64 on a software adapter, 256 on a hardware GPU, where the slots are
// many, 16384 at 1024^2, and each thread's loads are a chain of memory round trips).
override RED_THREADS: u32 = 64u;
var<workgroup> red: array<vec4f, RED_THREADS>;
var<workgroup> stop: f32;

/** Slots of one reduction's partial sums (a lane's). */
fn slots() -> u32 { return ((C.n + 4095u) / 4096u) * 64u; }
var<private> lx: u32;
var<private> lps: u32;
var<private> lpart: u32;
var<private> ltol: f32;
/** Takes the invocation's lane (its workgroup's z): call first in every entry point. */
fn enterLane(z: u32) { lx = z * C.stride; lps = z * 16u; lpart = z * slots(); ltol = select(C.tol.x, C.tol.y, z == 1u); }

fn wgIndex(wg: vec3u, nwg: vec3u) -> u32 { return wg.x + wg.y * nwg.x; }
/** Cell q of thread t in workgroup w (consecutive threads read consecutive cells). */
fn cellOf(w: u32, q: u32, t: u32) -> u32 { return w * 4096u + q * 64u + t; }
/**
 * The per-iteration partial passes take a thread's cells eight at a time, the eight cells' loads first and then
 * their arithmetic in the cells' order (the same sums as one cell at a time, bit for bit): on a hardware GPU a
 * thread's loop was a chain of 64 memory round trips (matvecPartial 53 us at 1024^2 on an H100, where the memory
 * alone would take ~13 us). Written out, not as arrays, so that they stay in registers on every backend (WGSL
 * zero-fills a function's arrays). Past the last cell the loads read cell n - 1, and nothing of it is used.
 */
fn inCells(k: u32) -> u32 { return min(k, C.n - 1u); }
/** The sum of the partial slots, by one workgroup of RED_THREADS (sum_slots.wgsl). */
fn total(t: u32) -> vec4f { return sumSlots(t, lpart, slots(), RED_THREADS); }
fn done() -> bool { return PS[lps + DONE] > 0.5; }
/** The CPU's test (src/reference/multigrid.ts solve): relative residual and residual sum, or the absolute floor. */
fn converged(res: f32, scale: f32, rsum: f32) -> bool {
  return (res <= ltol && abs(rsum) <= C.massTol) || res * scale <= C.absTol;
}
/** done(), as a value uniform over the workgroup (so a converged solve's final passes return before any barrier). */
fn doneWG(t: u32) -> bool {
  if (t == 0u) { stop = PS[lps + DONE]; }
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
  PS[lps + SCALE] = scale; PS[lps + RES] = res; PS[lps + ITER] = 0.0; PS[lps + RZ] = 0.0;
  PS[lps + DONE] = select(0.0, 1.0, converged(res, scale, s.z));
}

/** r z at cell k, added to v (v as it was past the last cell). */
fn rzAdd(v: f32, k: u32, rz: vec2f) -> f32 { return select(v, v + rz.x * rz.y, k < C.n); }
fn rzLoad(k: u32) -> vec2f { let c = inCells(k); return vec2f(RR[lx + c], Z[lx + c]); }

@compute @workgroup_size(64)
fn rzPartial(@builtin(workgroup_id) wg: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) t: u32) {
  enterLane(wg.z);
  if (done()) { return; }
  let w = wgIndex(wg, nwg);
  var v = 0.0;
  for (var q = 0u; q < CHUNK; q += 8u) {
    let k = cellOf(w, q, t);
    let l0 = rzLoad(k); let l1 = rzLoad(k + 64u); let l2 = rzLoad(k + 128u); let l3 = rzLoad(k + 192u);
    let l4 = rzLoad(k + 256u); let l5 = rzLoad(k + 320u); let l6 = rzLoad(k + 384u); let l7 = rzLoad(k + 448u);
    v = rzAdd(v, k, l0); v = rzAdd(v, k + 64u, l1); v = rzAdd(v, k + 128u, l2); v = rzAdd(v, k + 192u, l3);
    v = rzAdd(v, k + 256u, l4); v = rzAdd(v, k + 320u, l5); v = rzAdd(v, k + 384u, l6); v = rzAdd(v, k + 448u, l7);
  }
  partial[lpart + w * 64u + t] = vec4f(v, 0.0, 0.0, 0.0);
}
@compute @workgroup_size(RED_THREADS)
fn rzFinal(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_index) t: u32) {
  enterLane(wg.z);
  if (doneWG(t)) { return; }
  let s = total(t);
  if (t != 0u) { return; }
  PS[lps + BETA] = select(s.x / PS[lps + RZ], 0.0, PS[lps + ITER] == 0.0);
  PS[lps + RZ] = s.x;
}

/**
 * The halves of Pv this iteration reads (the last direction) and writes (the new one): by the parity of the lane's
 * iteration count, which xrFinal advances after updateXR has read the new direction.
 */
var<private> pOld: u32;
var<private> pNew: u32;
fn enterHalves() {
  let odd = (u32(PS[lps + ITER]) & 1u) * C.half;
  pOld = lx + odd;
  pNew = lx + (C.half - odd);
}

/** What the five-point operator needs at one cell of the finest level: A's couplings and the vector's values. */
struct Cell5 { a: vec4f, aw: f32, as_: f32, u: f32, uw: f32, ue: f32, us: f32, un: f32, j: u32 };
/** The new search direction z + beta p at cell k (beta 0 in a solve's first iteration). */
fn direction(k: u32, beta: f32) -> f32 { return Z[lx + k] + beta * Pv[pOld + k]; }
/**
 * Cell k's loads for (A p)[k], p the new direction, computed here at the cell and its four neighbours from the last
 * one (no pass of its own: a dependent dispatch fewer per iteration; the couplings past the top and bottom rows go
 * unused).
 */
fn loadPv(kIn: u32, beta: f32) -> Cell5 {
  let k = inCells(kIn);
  let nx = W.x;
  let i = k % nx; let j = k / nx;
  let row = j * nx;
  let Wk = row + select(i - 1u, nx - 1u, i == 0u); let Ek = row + select(i + 1u, 0u, i == nx - 1u);
  let Sk = select(k, k - nx, j > 0u); let Nk = select(k, k + nx, j + 1u < W.y);
  return Cell5(A[k], A[Wk].x, A[Sk].y, direction(k, beta), direction(Wk, beta), direction(Ek, beta), direction(Sk, beta), direction(Nk, beta), j);
}
/** (A u) at the cell c was loaded for: initPartial's arithmetic, in the same order. */
fn applyCell(c: Cell5) -> f32 {
  var au = c.a.z * c.u + c.aw * (c.u - c.uw) + c.a.x * (c.u - c.ue);
  if (c.j > 0u) { au += c.as_ * (c.u - c.us); }
  if (c.j == W.y - 1u) { au += c.a.y * c.u; } else { au += c.a.y * (c.u - c.un); }
  return au;
}

/** The new direction p[k] into Pv, (A p)[k] into AP, and p[k] (A p)[k] added to v (v as it was past the last cell). */
fn matvecAdd(v: f32, k: u32, c: Cell5) -> f32 {
  if (k >= C.n) { return v; }
  let au = applyCell(c);
  Pv[pNew + k] = c.u;
  AP[lx + k] = au;
  return v + c.u * au;
}

@compute @workgroup_size(64)
fn matvecPartial(@builtin(workgroup_id) wg: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) t: u32) {
  enterLane(wg.z);
  if (done()) { return; }
  enterHalves();
  let w = wgIndex(wg, nwg);
  let b = PS[lps + BETA];
  var v = 0.0;
  for (var q = 0u; q < CHUNK; q += 8u) {
    let k = cellOf(w, q, t);
    let l0 = loadPv(k, b); let l1 = loadPv(k + 64u, b); let l2 = loadPv(k + 128u, b); let l3 = loadPv(k + 192u, b);
    let l4 = loadPv(k + 256u, b); let l5 = loadPv(k + 320u, b); let l6 = loadPv(k + 384u, b); let l7 = loadPv(k + 448u, b);
    v = matvecAdd(v, k, l0); v = matvecAdd(v, k + 64u, l1); v = matvecAdd(v, k + 128u, l2); v = matvecAdd(v, k + 192u, l3);
    v = matvecAdd(v, k + 256u, l4); v = matvecAdd(v, k + 320u, l5); v = matvecAdd(v, k + 384u, l6); v = matvecAdd(v, k + 448u, l7);
  }
  partial[lpart + w * 64u + t] = vec4f(v, 0.0, 0.0, 0.0);
}
@compute @workgroup_size(RED_THREADS)
fn papFinal(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_index) t: u32) {
  enterLane(wg.z);
  if (doneWG(t)) { return; }
  let s = total(t);
  if (t != 0u) { return; }
  PS[lps + ALPHA] = select(PS[lps + RZ] / s.x, 0.0, s.x == 0.0);
}

/** (X, p, r, AP) at cell k (p the direction matvecPartial wrote). */
fn xrLoad(k: u32) -> vec4f { let c = inCells(k); return vec4f(X[lx + c], Pv[pNew + c], RR[lx + c], AP[lx + c]); }
/** X += a Pv and r -= a AP at cell k, with (r^2, r) added to v (v as it was past the last cell). */
fn xrAdd(v: vec2f, k: u32, a: f32, l: vec4f) -> vec2f {
  if (k >= C.n) { return v; }
  X[lx + k] = l.x + a * l.y;
  let r = l.z - a * l.w;
  RR[lx + k] = r;
  return v + vec2f(r * r, r);
}

@compute @workgroup_size(64)
fn updateXR(@builtin(workgroup_id) wg: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) t: u32) {
  enterLane(wg.z);
  if (done()) { return; }
  enterHalves();
  let w = wgIndex(wg, nwg);
  let a = PS[lps + ALPHA];
  var v = vec2f(0.0);
  for (var q = 0u; q < CHUNK; q += 8u) {
    let k = cellOf(w, q, t);
    let l0 = xrLoad(k); let l1 = xrLoad(k + 64u); let l2 = xrLoad(k + 128u); let l3 = xrLoad(k + 192u);
    let l4 = xrLoad(k + 256u); let l5 = xrLoad(k + 320u); let l6 = xrLoad(k + 384u); let l7 = xrLoad(k + 448u);
    v = xrAdd(v, k, a, l0); v = xrAdd(v, k + 64u, a, l1); v = xrAdd(v, k + 128u, a, l2); v = xrAdd(v, k + 192u, a, l3);
    v = xrAdd(v, k + 256u, a, l4); v = xrAdd(v, k + 320u, a, l5); v = xrAdd(v, k + 384u, a, l6); v = xrAdd(v, k + 448u, a, l7);
  }
  partial[lpart + w * 64u + t] = vec4f(v.x, 0.0, v.y, 0.0);
}
@compute @workgroup_size(RED_THREADS)
fn xrFinal(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_index) t: u32) {
  enterLane(wg.z);
  if (doneWG(t)) { return; }
  let s = total(t);
  if (t != 0u) { return; }
  let scale = PS[lps + SCALE];
  let res = sqrt(s.x / f32(C.n)) / scale;
  PS[lps + RES] = res;
  PS[lps + ITER] += 1.0;
  if (converged(res, scale, s.z)) { PS[lps + DONE] = 1.0; }
}

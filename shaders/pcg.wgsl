// Conjugate gradients preconditioned by one V-cycle (the host encodes the V-cycle between these passes).
// Converged solves set `done`; later passes of the same solve do nothing, so a fixed number of encoded
// iterations costs no readback.
struct Pc { n: u32, tol: f32, absTol: f32, pad: u32 };
@group(0) @binding(0) var<uniform> C: Pc;
@group(0) @binding(1) var<storage, read_write> PS: array<f32>;
@group(0) @binding(2) var<storage, read_write> A: array<vec4f>;
@group(0) @binding(3) var<storage, read_write> X: array<f32>;
@group(0) @binding(4) var<storage, read_write> RR: array<f32>;
@group(0) @binding(5) var<storage, read_write> Z: array<f32>;
@group(0) @binding(6) var<storage, read_write> Pv: array<f32>;
@group(0) @binding(7) var<storage, read_write> AP: array<f32>;
@group(0) @binding(8) var<storage, read_write> partial: array<vec2f>;
// PS slots
const RZ = 0u; const PAP = 1u; const RN = 2u; const SCALE = 3u; const DONE = 4u; const ITER = 5u;
const ALPHA = 6u; const BETA = 7u; const RES = 8u;
// The finest level's width, for the matrix-vector product: its neighbours.
@group(0) @binding(9) var<uniform> W: vec4u; // nx, ny

var<workgroup> red: array<vec2f, 256>;

fn reduceTo(t: u32, w: u32, v: vec2f) {
  red[t] = v;
  workgroupBarrier();
  for (var k = 128u; k > 0u; k >>= 1u) {
    if (t < k) { red[t] += red[t + k]; }
    workgroupBarrier();
  }
  if (t == 0u) { partial[w] = red[0]; }
}
fn wgIndex(wg: vec3u, nwg: vec3u) -> u32 { return wg.x + wg.y * nwg.x; }
fn total(t: u32) -> vec2f {
  let np = (C.n + 255u) / 256u;
  var s = vec2f(0.0);
  for (var k = t; k < np; k += 256u) { s += partial[k]; }
  red[t] = s;
  workgroupBarrier();
  for (var k = 128u; k > 0u; k >>= 1u) {
    if (t < k) { red[t] += red[t + k]; }
    workgroupBarrier();
  }
  return red[0];
}

/** After RR = B - A X and Z = B: |r|^2 and |b|^2. */
@compute @workgroup_size(256)
fn initPartial(@builtin(workgroup_id) wg: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) t: u32) {
  let w = wgIndex(wg, nwg); let k = w * 256u + t;
  var v = vec2f(0.0);
  if (k < C.n) { v = vec2f(RR[k] * RR[k], Z[k] * Z[k]); }
  reduceTo(t, w, v);
}
@compute @workgroup_size(256)
fn initFinal(@builtin(local_invocation_index) t: u32) {
  let s = total(t);
  if (t != 0u) { return; }
  let bn = sqrt(s.y / f32(C.n));
  let scale = select(1.0, bn, bn > 0.0);
  let res = sqrt(s.x / f32(C.n)) / scale;
  PS[SCALE] = scale; PS[RES] = res; PS[ITER] = 0.0; PS[RZ] = 0.0;
  PS[DONE] = select(0.0, 1.0, res <= C.tol || res * scale <= C.absTol);
}

@compute @workgroup_size(256)
fn rzPartial(@builtin(workgroup_id) wg: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) t: u32) {
  let w = wgIndex(wg, nwg); let k = w * 256u + t;
  var v = vec2f(0.0);
  if (k < C.n) { v = vec2f(RR[k] * Z[k], 0.0); }
  reduceTo(t, w, v);
}
@compute @workgroup_size(256)
fn rzFinal(@builtin(local_invocation_index) t: u32) {
  let s = total(t);
  if (t != 0u || PS[DONE] > 0.5) { return; }
  PS[BETA] = select(s.x / PS[RZ], 0.0, PS[ITER] == 0.0);
  PS[RZ] = s.x;
}

@compute @workgroup_size(256)
fn updateP(@builtin(global_invocation_id) g: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let k = g.x + g.y * nwg.x * 256u;
  if (k >= C.n || PS[DONE] > 0.5) { return; }
  Pv[k] = Z[k] + PS[BETA] * Pv[k];
}

@compute @workgroup_size(256)
fn matvecPartial(@builtin(workgroup_id) wg: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) t: u32) {
  let w = wgIndex(wg, nwg); let k = w * 256u + t;
  var v = vec2f(0.0);
  if (k < C.n && PS[DONE] < 0.5) {
    let nx = W.x; let ny = W.y;
    let i = k % nx; let j = k / nx;
    let row = j * nx;
    let Wk = row + select(i - 1u, nx - 1u, i == 0u); let Ek = row + select(i + 1u, 0u, i == nx - 1u);
    let up = Pv[k];
    var au = A[k].z * up + A[Wk].x * (up - Pv[Wk]) + A[k].x * (up - Pv[Ek]);
    if (j > 0u) { au += A[k - nx].y * (up - Pv[k - nx]); }
    if (j == ny - 1u) { au += A[k].y * up; } else { au += A[k].y * (up - Pv[k + nx]); }
    AP[k] = au;
    v = vec2f(up * au, 0.0);
  }
  reduceTo(t, w, v);
}
@compute @workgroup_size(256)
fn papFinal(@builtin(local_invocation_index) t: u32) {
  let s = total(t);
  if (t != 0u || PS[DONE] > 0.5) { return; }
  PS[ALPHA] = select(PS[RZ] / s.x, 0.0, s.x == 0.0);
}

@compute @workgroup_size(256)
fn updateXR(@builtin(workgroup_id) wg: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) t: u32) {
  let w = wgIndex(wg, nwg); let k = w * 256u + t;
  var v = vec2f(0.0);
  if (k < C.n && PS[DONE] < 0.5) {
    let a = PS[ALPHA];
    X[k] += a * Pv[k];
    let r = RR[k] - a * AP[k];
    RR[k] = r;
    v = vec2f(r * r, 0.0);
  }
  reduceTo(t, w, v);
}
@compute @workgroup_size(256)
fn xrFinal(@builtin(local_invocation_index) t: u32) {
  let s = total(t);
  if (t != 0u || PS[DONE] > 0.5) { return; }
  let scale = PS[SCALE];
  let res = sqrt(s.x / f32(C.n)) / scale;
  PS[RES] = res;
  PS[ITER] += 1.0;
  if (res <= C.tol || res * scale <= C.absTol) { PS[DONE] = 1.0; }
}

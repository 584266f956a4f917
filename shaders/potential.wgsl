// The semi-implicit potential: set up the two systems of the bordered solve (phi_b: response to a unit shift
// of E_m; phi_a: the linearised reaction), then combine them so the total current stays the applied one.
@group(1) @binding(0) var<storage, read> react: array<vec4f>;
@group(1) @binding(1) var<storage, read_write> phi: array<f32>;
@group(1) @binding(2) var<storage, read_write> phiB: array<f32>;
@group(1) @binding(3) var<storage, read_write> A0: array<vec4f>;
@group(1) @binding(4) var<storage, read_write> B0: array<f32>;
@group(1) @binding(5) var<storage, read_write> U0: array<f32>;
@group(1) @binding(6) var<storage, read_write> partial: array<vec4f>;

var<workgroup> red: array<vec4f, 64>; // one workgroup of 64 sums a reduction (sum_slots.wgsl)

fn idx(g: vec3u, nwg: vec3u) -> u32 { return g.x + g.y * nwg.x * 256u; }

/** Volume current q and dq/dphi of the predictor (A/m3, A/m3/V). */
fn qdq(k: u32) -> vec2f {
  let r = react[k];
  let cat = r.x * S[S_EC]; let an = r.y * S[S_EA]; let h = r.z * S[S_EH];
  let q = select(P.nfcs * r.w, 0.0, P.mode1d == 1u) + cat - an + h;
  let dq = P.fNRT * (P.alphaC * cat + P.alphaA * an + P.alphaHrel * h);
  return vec2f(q, dq);
}

@compute @workgroup_size(256)
fn setupB(@builtin(global_invocation_id) g: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let k = idx(g, nwg);
  if (k >= P.nx * P.ny) { return; }
  let dq = qdq(k).y;
  let a = A0[k];
  A0[k] = vec4f(a.x, a.y, P.qToPhi * dq, 0.0);
  B0[k] = P.qToPhi * dq;
  U0[k] = phiB[k];
}

@compute @workgroup_size(256)
fn setupA(@builtin(global_invocation_id) g: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let k = idx(g, nwg);
  if (k >= P.nx * P.ny) { return; }
  let v = qdq(k);
  phiB[k] = U0[k];
  B0[k] = -P.qToPhi * (v.x - v.y * phi[k]);
  U0[k] = phi[k];
}

@compute @workgroup_size(64)
fn combinePartial(@builtin(workgroup_id) wg: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) t: u32) {
  let w = wg.x + wg.y * nwg.x;
  var v = vec4f(0.0);
  for (var q = 0u; q < CHUNK; q++) {
    let k = chunkCell(w, q, t);
    if (k >= P.nx * P.ny) { break; }
    let dq = qdq(k).y;
    v += vec4f(dq * (U0[k] - phi[k]), dq * (1.0 - phiB[k]), dq, 0.0);
  }
  partial[w * 64u + t] = v;
}

@compute @workgroup_size(64)
fn combineFinal(@builtin(local_invocation_index) t: u32) {
  let s = sumSlots(t, partCount(), 64u);
  if (t == 0u) { S[S_NUM] = s.x; S[S_DEN] = s.y; S[S_SUMDQ] = s.z; }
}

@compute @workgroup_size(256)
fn apply(@builtin(global_invocation_id) g: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let k = idx(g, nwg);
  if (k >= P.nx * P.ny) { return; }
  let den = S[S_DEN];
  let dE = select(0.0, S[S_NUM] / den, S[S_SUMDQ] > 0.0 && den != 0.0);
  phi[k] = U0[k] + dE * phiB[k];
}

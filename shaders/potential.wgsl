// The semi-implicit potential: set up the two systems of the bordered solve (phi_b: response to a unit shift
// of E_m; phi_a: the linearised reaction), then combine them so the total current stays the applied one.
// Bindings: src/engine/bindings.ts MODULES.potential (group 1; group 0 is params.wgsl's).
// Includes sum_slots.wgsl (sumSlots, red).

/** Volume current q and dq/dphi of the predictor (A/m3, A/m3/V). */
fn qdq(k: u32) -> vec2f {
  let r = react[k];
  let cat = r.x * S[S_EC]; let an = r.y * S[S_EA]; let h = r.z * S[S_EH];
  let q = select(P.nfcs * r.w, 0.0, P.mode1d == 1u) + cat - an + h;
  let dq = P.fNRT * (P.alphaC * cat + P.alphaA * an + P.alphaHrel * h);
  return vec2f(q, dq);
}

/**
 * Both systems of the bordered solve, solved together as the potential system's two lanes (shaders/pcg.wgsl):
 * lane 0 phi_a (the linearised reaction at the last potential), lane 1 phi_b (the response to a unit shift of E_m),
 * each warm-started from its last solution. Not from the extrapolation 2 u^n - u^(n-1), as the CPU's may
 * (solver.ts warmStart): the GPU encodes a budget of iterations (the last readback's plus a margin), and where the
 * potential swings step to step (100 mA/cm2 from 0.05 M, a dendrite growing) an extrapolated start overshoots, the
 * budget runs out and the run diverged within a few steps (docs/PERFORMANCE.md). Both have A's diagonal set to the
 * linearised reaction. No step before is kept: a checkpoint gives phi^n as its phi^(n-1) (src/engine/state.ts).
 */
@compute @workgroup_size(256)
fn setup(@builtin(global_invocation_id) g: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let k = cellIndex(g, nwg);
  if (k >= P.nx * P.ny) { return; }
  let v = qdq(k);
  let a = A0[k];
  A0[k] = vec4f(a.x, a.y, P.qToPhi * v.y, 0.0);
  B0[k] = -P.qToPhi * (v.x - v.y * phi[k]);
  U0[k] = phi[k];
  B0[P.phiLane + k] = P.qToPhi * v.y;
  U0[P.phiLane + k] = phiB[k];
}

@compute @workgroup_size(64)
fn combinePartial(@builtin(workgroup_id) wg: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) t: u32) {
  let w = wg.x + wg.y * nwg.x;
  var v = vec4f(0.0);
  for (var q = 0u; q < CHUNK; q++) {
    let k = chunkCell(w, q, t);
    if (k >= P.nx * P.ny) { break; }
    let dq = qdq(k).y;
    v += vec4f(dq * (U0[k] - phi[k]), dq * (1.0 - U0[P.phiLane + k]), dq, 0.0);
  }
  partial[w * 64u + t] = v;
}

@compute @workgroup_size(64)
fn combineFinal(@builtin(local_invocation_index) t: u32) {
  let s = sumSlots(t, 0u, partCount(), 64u);
  if (t == 0u) { S[S_NUM] = s.x; S[S_DEN] = s.y; S[S_SUMDQ] = s.z; }
}

@compute @workgroup_size(256)
fn apply(@builtin(global_invocation_id) g: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let k = cellIndex(g, nwg);
  if (k >= P.nx * P.ny) { return; }
  let den = S[S_DEN];
  // Under potential control E_m does not shift (dE = 0).
  let dE = select(0.0, S[S_NUM] / den, S[S_SUMDQ] > 0.0 && den != 0.0 && P.potentiostatic == 0u);
  let b = U0[P.phiLane + k];
  phi[k] = U0[k] + dE * b;
  phiB[k] = b;
}

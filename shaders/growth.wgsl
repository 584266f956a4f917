// Growth: the phase-field update from the corrector's currents, the Zn sink of the concentration system and
// the step's Zn and HER currents.
// Bindings: src/engine/bindings.ts MODULES.growth (group 1; group 0 is params.wgsl's).
// Includes sum_slots.wgsl (sumSlots, red) and cells.wgsl (conc).

/**
 * The most Zn2+ (c0 x cell volume) cell k can give to plating in one step: what it holds plus what diffusion
 * could bring it from its neighbours (the reservoir, on the top row) if it were emptied (CpuSolver.zincSupply).
 */
fn zincSupply(k: u32) -> f32 {
  let i = k % P.nx; let j = k / P.nx;
  let row = j * P.nx;
  let W = row + west(i); let E = row + east(i);
  var s = max(0.0, conc(k)) + cA[W].x * max(0.0, conc(W)) + cA[k].x * max(0.0, conc(E));
  if (j > 0u) { s += cA[k - P.nx].y * max(0.0, conc(k - P.nx)); }
  if (j == P.ny - 1u) { s += cA[k].y; } else { s += cA[k].y * max(0.0, conc(k + P.nx)); }
  return s;
}

@compute @workgroup_size(64)
fn growCells(@builtin(workgroup_id) wg: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) t: u32) {
  let w = wg.x + wg.y * nwg.x;
  var v = vec4f(0.0);
  for (var q = 0u; q < CHUNK; q++) {
    let k = chunkCell(w, q, t);
    if (k >= P.nx * P.ny) { break; }
    let r = react[k];
    var qBV = r.x * S[S_EC] - r.y * S[S_EA];
    var qH = r.z * S[S_EH];
    // Past the limiting current: what the cell cannot supply goes to hydrogen (as in the CPU reference).
    let qMax = zincSupply(k) * P.nfc0 / P.dt;
    if (qBV > qMax) { qH += qBV - qMax; qBV = qMax; }
    var qZn = qBV;
    if (P.mode1d == 0u) {
      var dxi = P.dt * (r.w + P.vmOverNF * qBV);
      // A cell strips no more metal than it has (above a copper substrate's own): the rest of the current is not drawn.
      let floor = xi[P.nx * P.ny + k];
      if (dxi < 0.0 && xi[k] + dxi < floor) { dxi = min(0.0, floor - xi[k]); }
      xi[k] = xi[k] + dxi;
      qZn = (P.nfcs * dxi) / P.dt;
    }
    qcell[k] = qZn;
    // With the pH field, the cell's HER current too (its OH- source: ph.wgsl phSource).
    if (P.ph == 1u) { qcell[P.nx * P.ny + k] = qH; }
    if (k == 0u) { S[S_Q0] = qZn + qH; }
    let sink = (qZn * P.dt) / P.nfc0;
    cB0[k] = dc[k] - sink; // the right side for dc (the reservoir's term cancels: see concentration.wgsl)
    v += vec4f(sink, qZn, qH, 0.0);
  }
  partial[w * 64u + t] = v;
}

@compute @workgroup_size(64)
fn growFinal(@builtin(local_invocation_index) t: u32) {
  let s = sumSlots(t, 0u, partCount(), 64u);
  if (t != 0u) { return; }
  let dA = P.dx * P.dx;
  let Lx = f32(P.nx) * P.dx;
  S[S_DEP] += s.x;
  S[S_IZN] = s.y * dA / Lx;
  S[S_IH] = s.z * dA / Lx;
  S[S_QZN] += S[S_IZN] * P.dt;
  S[S_QH] += S[S_IH] * P.dt;
}

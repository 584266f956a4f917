// The metrics of docs/MODEL.md, reduced on the GPU into a small buffer the host reads every few steps.
// M: voltage_V, uniformity, roughness_um, max_height_um, her_mA_cm2, h2_mmol_cm2, ce, min_surface_c_M,
// cracked_fraction (t_s is the host's step count times dt); then deposit, top influx, Zn and H charge (9-12) and
// dead zinc (13, C/m2); with the pH field the interfacial pH (14) and the by-product film (15, um).
// Bindings: src/engine/bindings.ts MODULES.metrics (group 1; group 0 is params.wgsl's).
// Includes cells.wgsl (conc).

var<workgroup> red: array<vec4f, 64>; // one workgroup of 64 sums a reduction
const FARADAY = 96485.33212;

@compute @workgroup_size(64)
fn metricsColumns(@builtin(global_invocation_id) g: vec3u) {
  let i = g.x;
  if (i >= P.nx) { return; }
  var top = 0.0;
  var q = 0.0;
  var found = false;
  var j = i32(P.ny) - 1;
  loop {
    if (j < 0) { break; }
    let k = u32(j) * P.nx + i;
    q += qcell[k];
    let a = xi[k];
    if (!found && a >= 0.5) {
      var b = 0.0;
      if (u32(j) < P.ny - 1u) { b = xi[k + P.nx]; }
      top = f32(j) + 0.5 + (a - 0.5) / max(1e-12, a - b);
      found = true;
    }
    j = j - 1;
  }
  scratch[i] = vec2f(top, q);
}

@compute @workgroup_size(64)
fn metricsCells(@builtin(workgroup_id) wg: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) t: u32) {
  let w = wg.x + wg.y * nwg.x;
  var m = 3.0e38;
  var dead = 0.0; // the metal of the dead cells above their floor (dead.wgsl)
  let n = P.nx * P.ny;
  for (var q = 0u; q < CHUNK; q++) {
    let k = chunkCell(w, q, t);
    if (k >= n) { break; }
    let x = xi[k];
    if (x > 0.02 && x < 0.5) { m = min(m, conc(k)); }
    if (xi[2u * n + k] > 0.5) { dead += x - xi[n + k]; }
  }
  scratch[P.nx + w * 64u + t] = vec2f(m, dead);
  // With the pH field: the highest alkalinity of the liquid-side interface cells, and the by-product's sum.
  if (P.ph == 1u) {
    var wMax = -3.0e38;
    var film = 0.0;
    for (var q = 0u; q < CHUNK; q++) {
      let k = chunkCell(w, q, t);
      if (k >= n) { break; }
      let x = xi[k];
      if (x > 0.02 && x < 0.5) { wMax = max(wMax, dc[2u * n + k]); }
      film += dc[3u * n + k];
    }
    scratch[P.nx + partCount() + w * 64u + t] = vec2f(wMax, film);
  }
}

/** The pH of deviation dw from the reservoir's alkalinity (src/model/water.ts pHOf). */
fn pHOf(dw: f32) -> f32 {
  let w = dw + P.w0;
  let r = sqrt(w * w + 4e-8);
  let oh = select(2e-8 / (r - w), 0.5 * (w + r), w >= 0.0);
  return 14.0 + log(oh / 1000.0) * 0.43429448190325176; // log10
}

@compute @workgroup_size(64)
fn metricsFinal(@builtin(local_invocation_index) t: u32) {
  let nx = P.nx;
  var s = vec4f(0.0, -3.0e38, 0.0, 0.0); // sum top, max top, sum q, sum q^2
  for (var i = t; i < nx; i += 64u) {
    let v = scratch[i];
    s = vec4f(s.x + v.x, max(s.y, v.x), s.z + v.y, s.w);
  }
  // Uniformity's spread: each column takes its strip's mean current (strips of uniformityBin columns).
  let k = P.uniformityBin;
  for (var b = t * k; b < nx; b += 64u * k) {
    let e = min(nx, b + k);
    var q = 0.0;
    for (var i = b; i < e; i++) { q += scratch[i].y; }
    s.w += q * q / f32(e - b);
  }
  red[t] = s;
  workgroupBarrier();
  for (var q = 32u; q > 0u; q >>= 1u) {
    if (t < q) { let a = red[t]; let b = red[t + q]; red[t] = vec4f(a.x + b.x, max(a.y, b.y), a.z + b.z, a.w + b.w); }
    workgroupBarrier();
  }
  let tot = red[0];
  let meanTop = tot.x / f32(nx);
  workgroupBarrier();
  // Second pass: spread of the tops, cracked fraction and the lowest surface concentration.
  var r = vec4f(0.0, 0.0, 3.0e38, 0.0);
  for (var i = t; i < nx; i += 64u) {
    let d = scratch[i].x - meanTop;
    r.x += d * d;
    r.y += 1.0 - cols[i * 8u + 1u];
  }
  let np = partCount();
  for (var k = t; k < np; k += 64u) { r.z = min(r.z, scratch[nx + k].x); r.w += scratch[nx + k].y; }
  red[t] = r;
  workgroupBarrier();
  for (var q = 32u; q > 0u; q >>= 1u) {
    if (t < q) { let a = red[t]; let b = red[t + q]; red[t] = vec4f(a.x + b.x, a.y + b.y, min(a.z, b.z), a.w + b.w); }
    workgroupBarrier();
  }
  if (t != 0u) { return; }
  let is1d = P.mode1d == 1u;
  let jm = tot.z / f32(nx);
  var cv = 0.0;
  if (jm != 0.0) { cv = sqrt(max(0.0, tot.w / f32(nx) - jm * jm)) / abs(jm); }
  var surf = red[0].z;
  if (is1d) { surf = 1.5 * conc(0u) - 0.5 * conc(nx); }
  if (surf > 1.0e38) { surf = 1.0; }
  var cracked = 0.0;
  if (P.hasCoating == 1u && !is1d) { cracked = red[0].y / f32(nx); }
  let qzn = max(0.0, S[S_QZN]);
  let qtot = qzn + S[S_QH];
  M[0] = S[S_U] / P.fNRT;
  M[1] = clamp(1.0 - cv, 0.0, 1.0);
  M[2] = select(sqrt(red[0].x / f32(nx)) * P.dx * 1e6, 0.0, is1d);
  M[3] = select(max(0.0, tot.y - P.substrateCells) * P.dx * 1e6, 0.0, is1d);
  M[4] = S[S_IH] * 0.1;
  M[5] = S[S_QH] / (2.0 * FARADAY) * 0.1;
  M[6] = select(1.0, qzn / qtot, qtot > 0.0);
  M[7] = max(0.0, surf) * P.nfc0 / (2.0 * FARADAY) * 1e-3;
  M[8] = cracked;
  // Dead zinc per electrode area (C/m2), as CpuSolver.deadZincCharge.
  M[13] = red[0].w * P.nfcs * P.dx / f32(nx);
  M[9] = S[S_DEP]; M[10] = S[S_TOPIN]; M[11] = S[S_QZN]; M[12] = S[S_QH];
  // The interfacial pH and the film's mean thickness (um), as CpuSolver's metrics (alkalinity.ts surfacePH,
  // byproduct.ts thicknessUm).
  if (P.ph == 1u) {
    var wMax = -3.0e38;
    var film = 0.0;
    for (var k = 0u; k < np; k++) {
      let v = scratch[nx + np + k];
      wMax = max(wMax, v.x);
      film += v.y;
    }
    if (is1d) { wMax = dc[2u * nx * P.ny]; }
    if (wMax < -1.0e38) { wMax = 0.0; }
    M[14] = pHOf(wMax);
    M[15] = film * P.dx / f32(nx) * ZHS_MOLAR_VOLUME / (1.0 - ZHS_POROSITY) * 1e6;
  }
}

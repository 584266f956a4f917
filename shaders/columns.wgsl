// Column pass: deposit volume and top per column, their mean, the protrusions and the coating mechanics.
// cols: 8 floats per column: site, integrity, stress, strainPrev, colVol, top, protrusion, penalty.
@group(1) @binding(0) var<storage, read> xi: array<f32>;
@group(1) @binding(1) var<storage, read_write> cols: array<f32>;

var<workgroup> red: array<f32, 64>; // one workgroup of 64 sums a reduction

fn columnTop(i: u32) -> f32 {
  var j = i32(P.ny) - 1;
  loop {
    if (j < 0) { break; }
    let a = xi[u32(j) * P.nx + i];
    if (a >= 0.5) {
      var b = 0.0;
      if (u32(j) < P.ny - 1u) { b = xi[u32(j + 1) * P.nx + i]; }
      return f32(j) + 0.5 + (a - 0.5) / max(1e-12, a - b);
    }
    j = j - 1;
  }
  return 0.0;
}

@compute @workgroup_size(64)
fn colScan(@builtin(global_invocation_id) g: vec3u) {
  let i = g.x;
  if (i >= P.nx) { return; }
  var v = 0.0;
  for (var j = 0u; j < P.ny; j++) { v += xi[j * P.nx + i]; }
  cols[i * 8u + 4u] = v;
  cols[i * 8u + 5u] = columnTop(i);
}

@compute @workgroup_size(64)
fn colMean(@builtin(local_invocation_index) t: u32) {
  var s = 0.0;
  for (var i = t; i < P.nx; i += 64u) { s += cols[i * 8u + 4u]; }
  red[t] = s;
  workgroupBarrier();
  for (var k = 32u; k > 0u; k >>= 1u) {
    if (t < k) { red[t] += red[t + k]; }
    workgroupBarrier();
  }
  if (t == 0u) { S[S_MEAN] = select(red[0] / f32(P.nx), 0.0, P.mode1d == 1u); }
}

fn strainOf(i: u32) -> f32 {
  let d = max(0.0, cols[i * 8u + 4u] - S[S_MEAN]) * P.dx / P.strainLength;
  return (8.0 / 3.0) * d * d;
}

/** Protrusion against the +-tipWindow neighbours, and (with mechanics) stress, cracking, healing, penalty. */
@compute @workgroup_size(64)
fn colMech(@builtin(global_invocation_id) g: vec3u) {
  let i = g.x;
  if (i >= P.nx) { return; }
  if (P.mode1d == 0u) {
    let R = i32(P.tipWindow);
    var m = 0.0;
    for (var d = -R; d <= R; d++) {
      let k = u32((i32(i) + d + i32(P.nx)) % i32(P.nx));
      m += cols[k * 8u + 5u];
    }
    cols[i * 8u + 6u] = max(0.0, cols[i * 8u + 5u] - m / f32(2 * R + 1));
  }
  if (P.hasCoating == 0u || P.mode1d == 1u) { return; }
  let eps = strainOf(i);
  var k = cols[i * 8u + 1u];
  var s = max(0.0, (cols[i * 8u + 2u] + P.E * k * (eps - cols[i * 8u + 3u])) * P.stressDecay);
  if ((s * s * P.thickness) / (2.0 * P.E) > P.Gc) { k = 0.0; s = 0.0; }
  k += (1.0 - k) * P.healStep;
  cols[i * 8u + 1u] = k;
  cols[i * 8u + 2u] = s;
  cols[i * 8u + 3u] = eps;
  cols[i * 8u + 7u] = min(MAX_PENALTY_V, P.penaltyPerPa * s * k);
}

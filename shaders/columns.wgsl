// Column pass: deposit volume and top per column, their mean, the protrusions and the coating mechanics.
// cols: 8 floats per column: site, integrity, stress, strainPrev, colVol, top, protrusion, penalty.
// Bindings: src/engine/bindings.ts MODULES.columns (group 1; group 0 is params.wgsl's).

var<workgroup> red: array<f32, 64>; // one workgroup of 64 sums a reduction

/** The deposit's top in column i, row j being its highest cell with xi >= 0.5: where xi crosses 0.5 above it. */
fn topAt(i: u32, j: u32) -> f32 {
  let a = xi[j * P.nx + i];
  var b = 0.0;
  if (j < P.ny - 1u) { b = xi[(j + 1u) * P.nx + i]; }
  return f32(j) + 0.5 + (a - 0.5) / max(1e-12, a - b);
}

fn columnTop(i: u32) -> f32 {
  var j = i32(P.ny) - 1;
  loop {
    if (j < 0) { break; }
    if (xi[u32(j) * P.nx + i] >= 0.5) { return topAt(i, u32(j)); }
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

// colScan by a workgroup of SCAN_COLS columns, each split into SCAN_SEGS segments of rows, one thread a segment:
// at 1024^2 colScan's threads each walk 1024 rows, on 16 workgroups (docs/PERFORMANCE.md); here each walks 64. The segments' sums are added in segment order, and the top is the highest cell >= 0.5 over the segments
// (columnTop's), so the column's volume differs from colScan's by f32 rounding only, and its top not at all.
const SCAN_COLS = 16u;
const SCAN_SEGS = 16u;
var<workgroup> segSum: array<f32, SCAN_COLS * SCAN_SEGS>;
var<workgroup> segTop: array<i32, SCAN_COLS * SCAN_SEGS>;

@compute @workgroup_size(SCAN_COLS * SCAN_SEGS)
fn colScanSegments(@builtin(workgroup_id) w: vec3u, @builtin(local_invocation_index) t: u32) {
  let c = t % SCAN_COLS; let seg = t / SCAN_COLS;
  let i = w.x * SCAN_COLS + c;
  let m = (P.ny + SCAN_SEGS - 1u) / SCAN_SEGS;
  var v = 0.0;
  var top = -1;
  if (i < P.nx) {
    for (var j = seg * m; j < min(P.ny, (seg + 1u) * m); j++) {
      let a = xi[j * P.nx + i];
      v += a;
      if (a >= 0.5) { top = i32(j); }
    }
  }
  segSum[t] = v;
  segTop[t] = top;
  workgroupBarrier();
  if (seg != 0u || i >= P.nx) { return; }
  var sum = 0.0;
  var jt = -1;
  for (var k = 0u; k < SCAN_SEGS; k++) {
    sum += segSum[k * SCAN_COLS + c];
    jt = max(jt, segTop[k * SCAN_COLS + c]);
  }
  cols[i * 8u + 4u] = sum;
  cols[i * 8u + 5u] = select(0.0, topAt(i, u32(max(jt, 0))), jt >= 0);
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

/** The share of the column at offset d inside a window `half` columns to either side (src/model/lengths.ts windowShare). */
fn windowShare(d: i32, half: f32) -> f32 {
  let x = f32(d);
  return clamp(min(half, x + 0.5) - max(-half, x - 0.5), 0.0, 1.0);
}

/** The farthest column offset with a share of such a window (windowReach). */
fn windowReach(half: f32) -> i32 { return max(0, i32(ceil(half - 0.5 - 1e-6))); }

/** Column i + d, periodic in x (a window may be wider than the cell). */
fn wrapColumn(i: u32, d: i32) -> u32 { return u32(((i32(i) + d) % i32(P.nx) + i32(P.nx)) % i32(P.nx)); }

/** The membrane strain over the deposit's height above the mean, averaged over the strain window (src/reference/columns.ts). */
fn strainOf(i: u32) -> f32 {
  let R = windowReach(P.strainHalf);
  var v = 0.0; var w = 0.0;
  for (var d = -R; d <= R; d++) {
    let a = windowShare(d, P.strainHalf);
    v += a * cols[wrapColumn(i, d) * 8u + 4u];
    w += a;
  }
  let h = max(0.0, v / w - S[S_MEAN]) * P.dx / P.strainLength;
  return (8.0 / 3.0) * h * h;
}

/** Protrusion against the +-tipWindow neighbours, and (with mechanics) stress, cracking, healing, penalty. */
@compute @workgroup_size(64)
fn colMech(@builtin(global_invocation_id) g: vec3u) {
  let i = g.x;
  if (i >= P.nx) { return; }
  if (P.mode1d == 0u) {
    let R = i32(P.tipWindow);
    var m = 0.0;
    for (var d = -R; d <= R; d++) { m += cols[wrapColumn(i, d) * 8u + 5u]; }
    cols[i * 8u + 6u] = max(0.0, cols[i * 8u + 5u] - m / f32(2 * R + 1));
  }
  if (P.hasCoating == 0u || P.mode1d == 1u) { return; }
  let eps = strainOf(i);
  var s = max(0.0, (max(0.0, cols[i * 8u + 2u]) + P.E * cols[i * 8u + 1u] * (eps - cols[i * 8u + 3u])) * P.stressDecay);
  // Griffith: a column that cracks keeps its released stress as -s (read as 0 from then on), which marks it for colOpen.
  if ((s * s * P.thickness) / (2.0 * P.E) > P.Gc) { s = -s; }
  cols[i * 8u + 2u] = s;
  cols[i * 8u + 3u] = eps;
}

/** After colMech: each crack opens a gap P.crackHalf columns to either side of its column; a column's integrity falls to
 * at most its share outside every gap; then healing and the penalty. Reads the others' stress only (colMech's). */
@compute @workgroup_size(64)
fn colOpen(@builtin(global_invocation_id) g: vec3u) {
  let i = g.x;
  if (i >= P.nx || P.hasCoating == 0u || P.mode1d == 1u) { return; }
  let G = windowReach(P.crackHalf);
  var open = 0.0;
  for (var d = -G; d <= G; d++) {
    if (cols[wrapColumn(i, d) * 8u + 2u] < 0.0) { open = max(open, windowShare(d, P.crackHalf)); }
  }
  var k = min(cols[i * 8u + 1u], 1.0 - open);
  k += (1.0 - k) * P.healStep;
  cols[i * 8u + 1u] = k;
  cols[i * 8u + 7u] = min(MAX_PENALTY_V, P.penaltyPerPa * max(0.0, cols[i * 8u + 2u]) * k);
}

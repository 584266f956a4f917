// Dead zinc (docs/MODEL.md, "Protocols"; src/reference/connectivity.ts): metal (xi >= 0.5) joined to row 0's metal
// through the four neighbours (periodic in x) is live, other metal dead; a non-metal cell is dead where dead metal
// lies within the square window of half-width P.deadReach (periodic in x, clipped in y) and live metal does not.
// The mask goes to the xi buffer's third field (1 dead), which the reaction reads. And logStep, which keeps each
// step's E_m and currents for a protocol run's per-cycle table.
// Bindings: src/engine/bindings.ts MODULES.dead (group 1; group 0 is params.wgsl's).
// work: [0, n) live, then the kind (1 live metal, 2 dead metal); [n, 2n) the kinds within the window along x;
// 2n: whether any metal is dead.

const DEAD_THREADS = 256u;
var<workgroup> flags: array<u32, 256>;
var<workgroup> changed: u32;

fn metal(k: u32) -> bool { return xi[k] >= 0.5; }

/** OR of every thread's `v`, the same in all threads (a barrier inside). */
fn anyOf(t: u32, v: u32) -> u32 {
  flags[t] = v;
  workgroupBarrier();
  if (t == 0u) {
    var c = 0u;
    for (var q = 0u; q < DEAD_THREADS; q++) { c |= flags[q]; }
    changed = c;
  }
  return workgroupUniformLoad(&changed);
}

/**
 * Exact reachability in one workgroup: sweeps along every row (both ways, twice round for the periodic wrap), then
 * along every column (up, then down), until a round changes nothing. Each round's sweeps follow a path's straight
 * runs to their ends, so the rounds are about the turns a path takes, not its length.
 */
@compute @workgroup_size(256)
fn deadLive(@builtin(local_invocation_index) t: u32) {
  let nx = P.nx; let ny = P.ny; let n = nx * ny;
  // Where every column's metal is one run from row 0 up (no overhang, nothing cut off: most steps), all of it is
  // live through its own column: nothing is dead, and the sweeps are skipped.
  var overhang = 0u;
  for (var i = t; i < nx; i += DEAD_THREADS) {
    var run = true;
    for (var j = 0u; j < ny; j++) {
      let m = metal(j * nx + i);
      if (!m) { run = false; } else if (!run) { overhang = 1u; break; }
    }
  }
  if (anyOf(t, overhang) == 0u) {
    if (t == 0u) { work[2u * n] = 0u; }
    return;
  }
  for (var k = t; k < n; k += DEAD_THREADS) { work[k] = select(0u, 1u, k < nx && metal(k)); }
  storageBarrier();
  workgroupBarrier();
  loop {
    var ch = 0u;
    for (var j = t; j < ny; j += DEAD_THREADS) {
      let row = j * nx;
      var prev = work[row + nx - 1u];
      for (var q = 0u; q < 2u * nx; q++) {
        let k = row + q % nx;
        var l = work[k];
        if (l == 0u && prev == 1u && metal(k)) { work[k] = 1u; l = 1u; ch = 1u; }
        prev = l;
      }
      prev = work[row];
      for (var q = 0u; q < 2u * nx; q++) {
        let k = row + nx - 1u - q % nx;
        var l = work[k];
        if (l == 0u && prev == 1u && metal(k)) { work[k] = 1u; l = 1u; ch = 1u; }
        prev = l;
      }
    }
    storageBarrier();
    workgroupBarrier();
    for (var i = t; i < nx; i += DEAD_THREADS) {
      for (var j = 1u; j < ny; j++) {
        let k = j * nx + i;
        if (work[k] == 0u && work[k - nx] == 1u && metal(k)) { work[k] = 1u; ch = 1u; }
      }
      for (var j = ny - 1u; j > 0u; j--) {
        let k = (j - 1u) * nx + i;
        if (work[k] == 0u && work[k + nx] == 1u && metal(k)) { work[k] = 1u; ch = 1u; }
      }
    }
    storageBarrier();
    if (anyOf(t, ch) == 0u) { break; }
  }
  var dead = 0u;
  for (var k = t; k < n; k += DEAD_THREADS) {
    let kind = select(0u, select(2u, 1u, work[k] == 1u), metal(k));
    work[k] = kind;
    if (kind == 2u) { dead = 1u; }
  }
  let any = anyOf(t, dead);
  if (t == 0u) { work[2u * n] = any; }
}

/** The kinds within the window along x (periodic), one thread a cell. */
@compute @workgroup_size(256)
fn deadRows(@builtin(global_invocation_id) g: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let k = cellIndex(g, nwg);
  let nx = P.nx; let n = nx * P.ny;
  if (k >= n || work[2u * n] == 0u) { return; }
  let i = k % nx; let row = k - i;
  let R = min(P.deadReach, (nx - 1u) / 2u);
  var b = 0u;
  for (var d = 0u; d <= 2u * R; d++) { b |= work[row + (i + nx + d - R) % nx]; }
  work[n + k] = b;
}

/** The mask: dead metal, and non-metal with dead and no live metal within the window (clipped in y). */
@compute @workgroup_size(256)
fn deadMask(@builtin(global_invocation_id) g: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let k = cellIndex(g, nwg);
  let nx = P.nx; let ny = P.ny; let n = nx * ny;
  if (k >= n) { return; }
  var dead = false;
  if (work[2u * n] != 0u) {
    let kind = work[k];
    if (kind != 0u) {
      dead = kind == 2u;
    } else {
      let i = k % nx; let j = k / nx;
      let R = P.deadReach;
      var b = 0u;
      for (var jj = select(0u, j - R, j > R); jj <= min(ny - 1u, j + R); jj++) { b |= work[n + jj * nx + i]; }
      dead = b == 2u;
    }
  }
  xi[2u * n + k] = select(0.0, 1.0, dead);
}

/** Appends the step's u = f E_m, Zn and HER currents (A/m2) to the step log (log[0]: the entries so far). */
@compute @workgroup_size(1)
fn logStep() {
  let c = u32(stepLog[0]);
  stepLog[1u + 3u * c] = S[S_U];
  stepLog[2u + 3u * c] = S[S_IZN];
  stepLog[3u + 3u * c] = S[S_IH];
  stepLog[0] = f32(c + 1u);
}

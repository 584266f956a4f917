// The multigrid's line solves on a hardware GPU (part of the multigrid module: the engine appends this file to
// multigrid.wgsl, whose bindings, levels and helpers it uses; src/engine/bindings.ts MODULES.multigrid).

// The same line solves as solveLine's on a hardware GPU: blocks walked by their threads, then cyclic reduction.
// A workgroup solves PCR_COLS columns of the sweep's colour, with PCR_THREADS / PCR_COLS threads each. A thread
// holds a block of m consecutive rows of its column: it eliminates the block's couplings inside the block (a Thomas
// walk of m rows, in registers), which leaves one equation per block between the blocks' last rows; that reduced
// system, one row per thread, is solved by parallel cyclic reduction in workgroup memory in log2(blocks) steps, and
// each thread then fills in its block. The sequential solve (multigrid.wgsl solveLine) walks ny dependent steps, each a memory round trip;
// reduction of all ny rows takes fewer, and these blocks fewer still (docs/PERFORMANCE.md). Neighbouring threads take
// neighbouring columns (of one colour: two cells apart), so that a warp's loads of one row share memory sectors: a
// column alone is strided by the row, and at 1024^2 its loads were half of the sweep's time.
// Each row is kept divided by its diagonal (b = 1): (a, c, d), a the coupling to the row below, c to the row above.
// PCR_THREADS and PCR_COLS are overrides (the engine sets them per adapter); a line has at most PCR_CELLS rows,
// and a block at most PCR_ROWS (the engine checks ny <= PCR_ROWS PCR_THREADS / PCR_COLS).
override PCR_THREADS: u32 = 64u;
override PCR_COLS: u32 = 1u;
const PCR_CELLS = 1024u;
const PCR_ROWS = 16u;
/** The reduced rows, thread t's at t (block t / PCR_COLS of column t % PCR_COLS). */
var<workgroup> pa: array<f32, PCR_THREADS>;
var<workgroup> pc: array<f32, PCR_THREADS>;
var<workgroup> pd: array<f32, PCR_THREADS>;
/** Each block's first row as (P, Q, R): x_first = P + Q x_last + R x_(row below the block). */
var<workgroup> pfirst: array<vec3f, PCR_THREADS>;

/** Row j of column i's line equation, divided by its diagonal: (a, c, d) as solveLine's T factors encode it. */
fn lineRow(lv: Lv, i: u32, j: u32, nb: u32) -> vec3f {
  let row = lv.off + j * lv.nx;
  let Pi = row + i;
  let iw = wrapW(i, lv.nx); let ie = wrapE(i, lv.nx);
  let a = A[Pi];
  let aw = A[row + iw].x;
  var as_ = 0.0;
  if (j > 0u) { as_ = A[Pi - lv.nx].y; }
  var rhs = B[lu + Pi];
  if (nb != NB_ZERO) {
    var uw = neighbourU(lu + row + iw); var ue = neighbourU(lu + row + ie);
    if (nb == NB_PROLONG) { uw += correction(lv, iw, j); ue += correction(lv, ie, j); }
    rhs = rhs + aw * uw + a.x * ue;
  }
  let inv = 1.0 / (a.z + aw + a.x + as_ + a.y);
  return vec3f(-as_ * inv, select(-a.y * inv, 0.0, j == lv.ny - 1u), rhs * inv);
}

/** Where a line reduction takes its neighbours' U from (V, or U) and writes its column to (see zebraPcr). */
var<private> nbInV: bool;
var<private> outInV: bool;
fn neighbourU(k: u32) -> f32 {
  if (nbInV) { return V[k]; }
  return U[k];
}

/**
 * solveLine's result for column i of lv (ny <= PCR_CELLS), by thread t of the workgroup: its block is rows
 * b m .. b m + m - 1, b = t / PCR_COLS (none where `inside` is false: a column past the level's edge, whose
 * threads still meet every barrier). Within a block, after the downward walk row r reads
 * x_r + cp_r x_(r+1) + al_r x_below = dp_r (x_below: the row under the block, the last row of block b - 1);
 * walking back up, x_r = P_r + Q_r x_last + R_r x_below, kept in dp, cp and al.
 */
fn pcrLine(lv: Lv, i: u32, inside: bool, t: u32, nb: u32) {
  let n = lv.ny;
  let per = PCR_THREADS / PCR_COLS;
  let b = t / PCR_COLS;
  let m = (n + per - 1u) / per;
  let blocks = (n + m - 1u) / m;
  let first = b * m;
  let len = select(0u, min(m, n - min(first, n)), first < n && inside);
  let on = b < blocks && inside;
  // The most rows a block can hold with these overrides (a constant once they are set: the loops unroll).
  let rows = min(PCR_ROWS, PCR_CELLS / per);
  restrictColumn(i, first, first + len);
  var cp: array<f32, PCR_ROWS>; var al: array<f32, PCR_ROWS>; var dp: array<f32, PCR_ROWS>;
  for (var r = 0u; r < rows; r++) {
    if (r < len) { let v = lineRow(lv, i, first + r, nb); cp[r] = v.y; al[r] = v.x; dp[r] = v.z; }
  }
  // Downward: row r takes in row r - 1 (its coupling to the row below the block stays in al). The last row's
  // values are kept apart, so that no array is indexed by a value known only at run time (registers, not memory).
  var last = vec3f(cp[0], al[0], dp[0]);
  for (var r = 1u; r < rows; r++) {
    if (r < len) {
      let a = al[r];
      let inv = 1.0 / (1.0 - a * cp[r - 1u]);
      cp[r] = cp[r] * inv; al[r] = -a * al[r - 1u] * inv; dp[r] = (dp[r] - a * dp[r - 1u]) * inv;
      last = vec3f(cp[r], al[r], dp[r]);
    }
  }
  // Upward: each row in terms of the block's last row and the row below the block, (P, Q, R) into (dp, cp, al).
  for (var k = 0u; k < rows; k++) {
    let r = rows - 1u - k;
    if (r + 1u == len) { dp[r] = 0.0; cp[r] = 1.0; al[r] = 0.0; }
    if (r + 1u < len) {
      let c = cp[r];
      dp[r] = dp[r] - c * dp[r + 1u]; cp[r] = -c * cp[r + 1u]; al[r] = -al[r] - c * al[r + 1u];
    }
  }
  if (len > 0u) { pfirst[t] = vec3f(dp[0], cp[0], al[0]); }
  workgroupBarrier();
  // The block's last row, with the next block's first row put in: a tridiagonal row in the blocks' last rows.
  if (on) {
    var next = vec3f(0.0);
    if (b + 1u < blocks) { next = pfirst[t + PCR_COLS]; }
    let c = last.x;
    let inv = 1.0 / (1.0 + c * next.z);
    pa[t] = last.y * inv; pc[t] = c * next.y * inv; pd[t] = (last.z - c * next.x) * inv;
  }
  workgroupBarrier();
  // Parallel cyclic reduction of the blocks' rows: row b takes in rows b - s and b + s, which couples it to b -+ 2s.
  for (var s = 1u; s < blocks; s = s * 2u) {
    var na = 0.0; var nc = 0.0; var nd = 0.0;
    if (on) {
      let aj = pa[t]; let cj = pc[t];
      var am = 0.0; var cm = 0.0; var dm = 0.0; var ap = 0.0; var cq = 0.0; var dq = 0.0;
      if (b >= s) { let o = t - s * PCR_COLS; am = pa[o]; cm = pc[o]; dm = pd[o]; }
      if (b + s < blocks) { let o = t + s * PCR_COLS; ap = pa[o]; cq = pc[o]; dq = pd[o]; }
      let inv = 1.0 / (1.0 - aj * cm - cj * ap);
      na = -aj * am * inv; nc = -cj * cq * inv; nd = (pd[t] - aj * dm - cj * dq) * inv;
    }
    workgroupBarrier();
    if (on) { pa[t] = na; pc[t] = nc; pd[t] = nd; }
    workgroupBarrier();
  }
  if (on) {
    let y = pd[t];
    var below = 0.0;
    if (b > 0u) { below = pd[t - PCR_COLS]; }
    for (var r = 0u; r < rows; r++) {
      if (r < len) {
        let k = lu + lv.off + (first + r) * lv.nx + i;
        let x = dp[r] + cp[r] * y + al[r] * below;
        if (outInV) { V[k] = x; } else { U[k] = x; }
      }
    }
  }
}

/** Thread t's column of the sweep's colour in workgroup w (past the level's edge in the last workgroup, maybe). */
fn pcrColumn(w: u32, t: u32) -> u32 {
  let stride = select(2u, 1u, L.nx == 1u);
  return (w * PCR_COLS + t % PCR_COLS) * stride + L.color;
}

/** smoothLines by blocks and cyclic reduction: PCR_COLS columns a workgroup. */
@compute @workgroup_size(PCR_THREADS)
fn smoothLinesPcr(@builtin(workgroup_id) w: vec3u, @builtin(local_invocation_index) t: u32) {
  enterLane(w.z);
  if (convergedWG(t)) { return; }
  let i = pcrColumn(w.x, t);
  pcrLine(uniformLevel(), i, i < L.nx, t, select(NB_U, NB_ZERO, L.fresh == 1u));
}

/** smoothProlong by blocks and cyclic reduction. */
@compute @workgroup_size(PCR_THREADS)
fn smoothProlongPcr(@builtin(workgroup_id) w: vec3u, @builtin(local_invocation_index) t: u32) {
  enterLane(w.z);
  if (convergedWG(t)) { return; }
  let i = pcrColumn(w.x, t);
  pcrLine(uniformLevel(), i, i < L.nx, t, NB_PROLONG);
}

/**
 * A whole zebra sweep in one pass, by the line reductions: the columns of colour L.color (F), then those of the other
 * (G), each from its neighbours as the half-sweep passes above would take them, with a storage barrier between;
 * two half-sweep passes' arithmetic, so the same U to the bit, in one dispatch. Workgroup w solves G's columns
 * 2m + 1 + F for m in [w (PCR_COLS - 1), (w + 1)(PCR_COLS - 1)), and first the PCR_COLS F columns 2m + F around them
 * (wrapped in x): the last is also the next workgroup's first, solved by both from the same values to the same bits
 * (a halo of one line). Such a shared F line takes its G neighbours from before the pass, while the workgroup on its
 * other side may already be writing its G columns: so G's new values go to the other buffer. The first pass of a
 * pair (L.second 0) takes G from U and writes G to V; the second takes G from V and writes it to U. Where a level
 * is an odd number of columns wide, or one, the half-sweep passes do it.
 */
@compute @workgroup_size(PCR_THREADS)
fn zebraPcr(@builtin(workgroup_id) w: vec3u, @builtin(local_invocation_index) t: u32) {
  enterLane(w.z);
  if (convergedWG(t)) { return; }
  let lv = uniformLevel();
  let pairs = lv.nx / 2u;
  let m = w.x * (PCR_COLS - 1u) + t % PCR_COLS;
  nbInV = L.second == 1u;
  pcrLine(lv, (2u * m + L.color) % lv.nx, m <= pairs, t, L.fresh);
  storageBarrier();
  nbInV = false;
  outInV = L.second == 0u;
  pcrLine(lv, (2u * m + 1u + L.color) % lv.nx, t % PCR_COLS + 1u < PCR_COLS && m < pairs, t, NB_U);
}

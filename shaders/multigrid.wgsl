// Multigrid passes on one level (potential_smooth / potential_restrict / prolongation of docs/MODEL.md;
// the same passes serve the concentration system). Levels live one after another in each buffer at `off`.
// A: (ax, ay, e, -) per cell; U: unknown; B: right side; R: residual (the bottom pass's; see smoothedResidual); T: per cell two vec4s for the y-line
// solves, (1/pivot, south coupling, west and east coupling) and (upper LU factor tc, -, -, -), so a line step
// reads one vector instead of four scattered coefficients.
// Level 0's B and U are the CG's residual and preconditioned residual (shaders/pcg.wgsl); the V-cycle passes
// do nothing once that solve has converged (PS, the CG's scalars).
// `fresh`: the level's U is taken as zero (the first sweep of a V-cycle on it, so no clearing pass is needed).
// `stride`: the cells of all levels, the distance between the lanes of U, B and R (see enterLane).
// `restrictB`: the sweep first computes its columns' B, the restriction of the level above's residual (the first
// sweep of each colour on a level below level 0 that has no restriction pass, restrictLevel; see restrictColumn).
// pnx, pny, poff: the level above (pnx 0 on level 0). The whole-sweep pass (zebraPcr) reads `color` as the colour it solves first, `fresh` as how that colour
// takes its neighbours (NB_*), and `second` as which pass of a pair it is (see V).
struct Level {
  nx: u32, ny: u32, off: u32, color: u32,
  cnx: u32, cny: u32, coff: u32, rx: u32,
  ry: u32, fresh: u32, stride: u32, restrictB: u32,
  pnx: u32, pny: u32, poff: u32, second: u32,
};
/** One level's geometry and its transfer to the next: Level's fields, or a coarser level the bottom or buildCoarse pass walks to. */
struct Lv { nx: u32, ny: u32, off: u32, cnx: u32, cny: u32, coff: u32, rx: u32, ry: u32 };
// How a line solve takes its neighbours' U: as they are, as zero (U fresh), or plus the coarse correction.
const NB_U = 0u; const NB_ZERO = 1u; const NB_PROLONG = 2u;
@group(0) @binding(0) var<uniform> L: Level;
@group(0) @binding(1) var<storage, read_write> A: array<vec4f>;
@group(0) @binding(2) var<storage, read_write> T: array<vec4f>;
@group(0) @binding(3) var<storage, read_write> U: array<f32>;
@group(0) @binding(4) var<storage, read_write> B: array<f32>;
@group(0) @binding(5) var<storage, read_write> R: array<f32>;
@group(0) @binding(6) var<storage, read_write> PS: array<f32>;
/**
 * The second copy of the columns that a whole-sweep pass (zebraPcr) solves second, laid out as U: the first pass of
 * a pair writes them here and the second pass reads them from here (as the old values the first colour's lines
 * take) and writes them back to U, so U holds every column again after each pair (see zebraPcr).
 */
@group(0) @binding(7) var<storage, read_write> V: array<f32>;

// Lanes: a system may solve several right sides with the same operator in the same passes (the potential's phi_a
// and phi_b), one lane each, the lane being the dispatch's z. A lane's U, B and R (every level) lie L.stride cells
// after the previous lane's (L.stride: the cells of all levels), its CG scalars CG_LANE slots after (CG_*: the
// engine prepends them, src/engine/layout.ts CG); A and T are shared.
var<private> lu: u32;
var<private> lps: u32;
/** Takes the invocation's lane (its workgroup's z): call first in every entry point that touches U, B, R or PS. */
fn enterLane(z: u32) { lu = z * L.stride; lps = z * CG_LANE; }

fn converged() -> bool { return PS[lps + CG_DONE] > 0.5; }
var<workgroup> stop: f32;
/** converged(), as a value uniform over the workgroup (so a converged solve's passes return before any barrier). */
fn convergedWG(t: u32) -> bool {
  if (t == 0u) { stop = PS[lps + CG_DONE]; }
  return workgroupUniformLoad(&stop) > 0.5;
}

fn wrapW(i: u32, n: u32) -> u32 { return select(i - 1u, n - 1u, i == 0u); }
fn wrapE(i: u32, n: u32) -> u32 { return select(i + 1u, 0u, i == n - 1u); }
fn flatIndex(g: vec3u, nwg: vec3u) -> u32 { return g.x + g.y * nwg.x * 64u; }
fn uniformLevel() -> Lv { return Lv(L.nx, L.ny, L.off, L.cnx, L.cny, L.coff, L.rx, L.ry); }
/** The level above L (its restriction's fine level), where there is one (L.pnx > 0). */
fn parentLevel() -> Lv { return Lv(L.pnx, L.pny, L.poff, L.nx, L.ny, L.off, L.pnx / L.nx, L.pny / L.ny); }
/** The next coarser level, as src/engine/layout.ts's gridLevels builds it. */
fn nextLevel(lv: Lv) -> Lv {
  let nx = lv.cnx; let ny = lv.cny;
  let rx = select(1u, 2u, nx % 2u == 0u && nx > 2u);
  let ry = select(1u, 2u, ny % 2u == 0u && ny > 2u);
  return Lv(nx, ny, lv.coff, nx / rx, ny / ry, lv.coff + nx * ny, rx, ry);
}
fn levelBelow(d: u32) -> Lv {
  var lv = uniformLevel();
  for (var k = 0u; k < d; k++) { lv = nextLevel(lv); }
  return lv;
}

/** Coarse cell C of the level below lv: its operator, the sums of the fine equations it covers. */
fn coarsenAt(lv: Lv, C: u32) {
  let I = C % lv.cnx; let J = C / lv.cnx;
  var ax = 0.0; var ay = 0.0; var e = 0.0;
  for (var k = 0u; k < lv.ry; k++) { ax += A[lv.off + (lv.ry * J + k) * lv.nx + lv.rx * I + lv.rx - 1u].x; }
  for (var k = 0u; k < lv.rx; k++) { ay += A[lv.off + (lv.ry * J + lv.ry - 1u) * lv.nx + lv.rx * I + k].y; }
  for (var q = 0u; q < lv.ry; q++) {
    for (var p = 0u; p < lv.rx; p++) { e += A[lv.off + (lv.ry * J + q) * lv.nx + lv.rx * I + p].z; }
  }
  A[lv.coff + C] = vec4f(select(ax / f32(lv.rx), 0.0, lv.cnx == 1u), ay / f32(lv.ry), e, 0.0);
}

/** LU factors of column i's y-line tridiagonal matrix on lv (see T). */
fn factorAt(lv: Lv, i: u32) {
  let iw = wrapW(i, lv.nx);
  var tcPrev = 0.0;
  for (var j = 0u; j < lv.ny; j++) {
    let Pi = lv.off + j * lv.nx + i;
    let a = A[Pi];
    var as_ = 0.0;
    if (j > 0u) { as_ = A[Pi - lv.nx].y; }
    let diag = a.z + A[lv.off + j * lv.nx + iw].x + a.x + as_ + a.y;
    let inv = 1.0 / (diag + as_ * tcPrev);
    let tc = select(0.0, -a.y * inv, j < lv.ny - 1u);
    T[2u * Pi] = vec4f(inv, as_, A[lv.off + j * lv.nx + iw].x, a.x);
    T[2u * Pi + 1u] = vec4f(tc, 0.0, 0.0, 0.0);
    tcPrev = tc;
  }
}

/** Coarse operator (level l+1) from the fine one: one thread per coarse cell. */
@compute @workgroup_size(64)
fn coarsen(@builtin(global_invocation_id) g: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let C = flatIndex(g, nwg);
  if (C >= L.cnx * L.cny) { return; }
  coarsenAt(uniformLevel(), C);
}

/** LU factors of each y-line's tridiagonal matrix: one thread per column. */
@compute @workgroup_size(64)
fn factorLines(@builtin(global_invocation_id) g: vec3u) {
  if (g.x >= L.nx) { return; }
  factorAt(uniformLevel(), g.x);
}

/** Bilinear prolongation of the coarse U to fine cell (i, j) of lv. */
fn correction(lv: Lv, i: u32, j: u32) -> f32 {
  var I = i; var I2 = i; var wx2 = 0.0;
  if (lv.rx == 2u) {
    I = i >> 1u; wx2 = 0.25;
    if ((i & 1u) == 1u) { I2 = select(I + 1u, 0u, I + 1u == lv.cnx); } else { I2 = select(I - 1u, lv.cnx - 1u, I == 0u); }
  }
  var J = j; var J2 = j; var sy = 0.0;
  if (lv.ry == 2u) {
    J = j >> 1u; sy = 0.25;
    if ((j & 1u) == 1u) { J2 = J + 1u; } else { J2 = select(J - 1u, 0u, J == 0u); }
    if (J == 0u && (j & 1u) == 0u) { J2 = J; }
    if (J2 >= lv.cny) { J2 = J; sy = -0.25; }
  }
  let wy2 = select(0.0, 0.25, lv.ry == 2u);
  let w00 = (1.0 - wx2) * (1.0 - wy2); let w01 = (1.0 - wx2) * sy; let w10 = wx2 * (1.0 - wy2); let w11 = wx2 * sy;
  let cu = lv.coff;
  return w00 * U[lu + cu + J * lv.cnx + I] + w01 * U[lu + cu + J2 * lv.cnx + I] + w10 * U[lu + cu + J * lv.cnx + I2] + w11 * U[lu + cu + J2 * lv.cnx + I2];
}

/** Row j of column i's line: its right side with the neighbours' U (see NB_*), and its factors (1/pivot, south coupling). */
fn lineRhs(lv: Lv, i: u32, iw: u32, ie: u32, j: u32, nb: u32) -> vec3f {
  let row = lv.off + j * lv.nx;
  let f = T[2u * (row + i)];
  var rhs = B[lu + row + i];
  if (nb != NB_ZERO) {
    var uw = U[lu + row + iw]; var ue = U[lu + row + ie];
    if (nb == NB_PROLONG) { uw += correction(lv, iw, j); ue += correction(lv, ie, j); }
    rhs = rhs + f.z * uw + f.w * ue;
  }
  return vec3f(rhs, f.y, f.x);
}

/**
 * Column i of lv solved exactly along y from its neighbours' U (see NB_*). The column's own old U is never
 * read, so a sweep right after the prolongation needs the correction only on the neighbours: the first
 * post-smoothing sweep adds it on the fly (the other colour's columns, which it lands on, are re-solved next).
 * Both substitutions go four rows at a time, the four rows' loads first: only the arithmetic is a chain from row
 * to row, not the memory round trips (on an H100 the bottom pass's line walks were a chain of ~90 cycles a row).
 */
fn solveLine(lv: Lv, i: u32, nb: u32) {
  let iw = wrapW(i, lv.nx); let ie = wrapE(i, lv.nx);
  let nx = lv.nx;
  var prev = 0.0;
  var j = 0u;
  for (; j + 4u <= lv.ny; j += 4u) {
    let r0 = lineRhs(lv, i, iw, ie, j, nb); let r1 = lineRhs(lv, i, iw, ie, j + 1u, nb);
    let r2 = lineRhs(lv, i, iw, ie, j + 2u, nb); let r3 = lineRhs(lv, i, iw, ie, j + 3u, nb);
    let P = lv.off + j * nx + i;
    prev = (r0.x + r0.y * prev) * r0.z; U[lu + P] = prev;
    prev = (r1.x + r1.y * prev) * r1.z; U[lu + P + nx] = prev;
    prev = (r2.x + r2.y * prev) * r2.z; U[lu + P + 2u * nx] = prev;
    prev = (r3.x + r3.y * prev) * r3.z; U[lu + P + 3u * nx] = prev;
  }
  for (; j < lv.ny; j++) {
    let r = lineRhs(lv, i, iw, ie, j, nb);
    prev = (r.x + r.y * prev) * r.z;
    U[lu + lv.off + j * nx + i] = prev;
  }
  // Back substitution, from row ny - 2 down; the value above stays in a register.
  var next = prev;
  var k = i32(lv.ny) - 2;
  for (; k >= 3; k -= 4) {
    let P = lv.off + u32(k) * nx + i;
    let u0 = U[lu + P]; let u1 = U[lu + P - nx]; let u2 = U[lu + P - 2u * nx]; let u3 = U[lu + P - 3u * nx];
    let t0 = T[2u * P + 1u].x; let t1 = T[2u * (P - nx) + 1u].x;
    let t2 = T[2u * (P - 2u * nx) + 1u].x; let t3 = T[2u * (P - 3u * nx) + 1u].x;
    next = u0 - t0 * next; U[lu + P] = next;
    next = u1 - t1 * next; U[lu + P - nx] = next;
    next = u2 - t2 * next; U[lu + P - 2u * nx] = next;
    next = u3 - t3 * next; U[lu + P - 3u * nx] = next;
  }
  for (; k >= 0; k--) {
    let P = lv.off + u32(k) * nx + i;
    next = U[lu + P] - T[2u * P + 1u].x * next;
    U[lu + P] = next;
  }
}

/**
 * Zebra y-line Gauss-Seidel: the columns of one colour, each solved exactly along y. Small workgroups: a
 * sweep has few threads (one per column), which should spread over many cores.
 */
@compute @workgroup_size(16)
fn smoothLines(@builtin(global_invocation_id) g: vec3u) {
  enterLane(g.z);
  let stride = select(2u, 1u, L.nx == 1u);
  let i = g.x * stride + L.color;
  if (i >= L.nx || converged()) { return; }
  restrictColumn(i, 0u, L.ny);
  solveLine(uniformLevel(), i, select(NB_U, NB_ZERO, L.fresh == 1u));
}

/** The prolongation (fine U += P coarse U) and the first post-smoothing sweep, in one pass. */
@compute @workgroup_size(16)
fn smoothProlong(@builtin(global_invocation_id) g: vec3u) {
  enterLane(g.z);
  let stride = select(2u, 1u, L.nx == 1u);
  let i = g.x * stride + L.color;
  if (i >= L.nx || converged()) { return; }
  solveLine(uniformLevel(), i, NB_PROLONG);
}

// ---- the same line solves on a hardware GPU: blocks walked by their threads, then cyclic reduction ----
// A workgroup solves PCR_COLS columns of the sweep's colour, with PCR_THREADS / PCR_COLS threads each. A thread
// holds a block of m consecutive rows of its column: it eliminates the block's couplings inside the block (a Thomas
// walk of m rows, in registers), which leaves one equation per block between the blocks' last rows; that reduced
// system, one row per thread, is solved by parallel cyclic reduction in workgroup memory in log2(blocks) steps, and
// each thread then fills in its block. The sequential solve above walks ny dependent steps, each a memory round trip
// (at 1024^2 on an H100 a sweep took ~290 us that way); reduction of all ny rows, one column a workgroup, 59 us; these
// blocks, four columns a workgroup, 30 us. Neighbouring threads take neighbouring columns (of one colour: two cells
// apart), so that a warp's loads of one row share memory sectors: a column alone is strided by the row, and at
// 1024^2 its loads were half of the sweep's time (32 us of loads alone against 6 us for the same loads contiguous).
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

/** The residual B - A U at cell (i, j) of lv. */
fn residualAt(lv: Lv, i: u32, j: u32) -> f32 {
  let row = lv.off + j * lv.nx;
  let Pi = row + i;
  let W = row + wrapW(i, lv.nx); let E = row + wrapE(i, lv.nx);
  let up = U[lu + Pi];
  var au = A[Pi].z * up + A[W].x * (up - U[lu + W]) + A[Pi].x * (up - U[lu + E]);
  if (j > 0u) { au += A[Pi - lv.nx].y * (up - U[lu + Pi - lv.nx]); }
  if (j == lv.ny - 1u) { au += A[Pi].y * up; } else { au += A[Pi].y * (up - U[lu + Pi + lv.nx]); }
  return B[lu + Pi] - au;
}

/**
 * The residual at cell (i, j) of lv after the pre-smoothing, as the restriction reads it. The pre-smoothing ends
 * with a sweep of colour 1 (odd columns), which solves those columns' equations exactly from their neighbours,
 * colour 0, and leaves those as they are: colour 1's residual is zero (to rounding), so only colour 0's is needed
 * (on a level one column wide the sweep solves the whole level: all zero). The per-level passes compute it where
 * the restriction needs it (`stored` false: no residual pass, no residual buffer read; each value is computed by
 * the four coarse cells it weighs on); the bottom pass, one workgroup on small levels, computes each once into R
 * first. The CPU reference (src/reference/multigrid.ts) computes every cell's.
 */
fn smoothedResidual(lv: Lv, i: u32, j: u32, stored: bool) -> f32 {
  if ((i & 1u) == 1u || lv.nx == 1u) { return 0.0; }
  if (stored) { return R[lu + lv.off + j * lv.nx + i]; }
  return residualAt(lv, i, j);
}

/** Bilinear weight of fine index f (fine size n) on coarse index C (coarse size cn), ratio r; y mirrors at the top. */
fn wx(f: u32, C: u32, r: u32, cn: u32) -> f32 {
  if (r == 1u) { return select(0.0, 1.0, f == C); }
  let I = f >> 1u;
  var I2: u32;
  if ((f & 1u) == 1u) { I2 = select(I + 1u, 0u, I + 1u == cn); } else { I2 = select(I - 1u, cn - 1u, I == 0u); }
  var w = 0.0;
  if (I == C) { w += 0.75; }
  if (I2 == C) { w += 0.25; }
  return w;
}
fn wy(f: u32, C: u32, r: u32, cn: u32) -> f32 {
  if (r == 1u) { return select(0.0, 1.0, f == C); }
  let J = f >> 1u;
  var w = 0.0;
  if (J == C) { w += 0.75; }
  if ((f & 1u) == 1u) {
    if (J + 1u >= cn) { if (J == C) { w -= 0.25; } } else if (J + 1u == C) { w += 0.25; }
  } else {
    if (J == 0u) { if (J == C) { w += 0.25; } } else if (J - 1u == C) { w += 0.25; }
  }
  return w;
}

/**
 * Fine row fj's restriction terms (x weights 1/4, 3/4, 3/4, 1/4 on fine columns 2I - 1 .. 2I + 2): the odd
 * columns' residuals are zero (smoothedResidual), so only 2I's and 2I + 2's (i2, wrapped) are computed.
 */
fn restrictRow(s: f32, lv: Lv, fj: u32, wyv: f32, I: u32, i2: u32, stored: bool) -> f32 {
  return s + 0.75 * wyv * smoothedResidual(lv, 2u * I, fj, stored) + 0.25 * wyv * smoothedResidual(lv, i2, fj, stored);
}

/** Coarse B = P^T (fine residual) at coarse cell C: the transpose of the prolongation, gathered. */
fn restrictAt(lv: Lv, C: u32, stored: bool) {
  let I = C % lv.cnx; let J = C / lv.cnx;
  if (lv.rx == 2u && lv.ry == 2u) {
    // The usual case with the weights wx / wy give, written out (even nx: the odd columns are colour 1).
    let i2 = select(2u * I + 2u, 0u, 2u * I + 2u == lv.nx);
    let j0 = 2u * J;
    var t = 0.0;
    if (J > 0u) { t = restrictRow(t, lv, j0 - 1u, 0.25, I, i2, stored); }
    t = restrictRow(t, lv, j0, select(0.75, 1.0, J == 0u), I, i2, stored);
    t = restrictRow(t, lv, j0 + 1u, select(0.75, 0.5, J + 1u == lv.cny), I, i2, stored);
    if (J + 1u < lv.cny) { t = restrictRow(t, lv, j0 + 2u, 0.25, I, i2, stored); }
    B[lu + lv.coff + C] = t;
    return;
  }
  var s = 0.0;
  let ni = select(1u, 4u, lv.rx == 2u); let nj = select(1u, 4u, lv.ry == 2u);
  for (var q = 0u; q < nj; q++) {
    var fj = i32(J);
    if (lv.ry == 2u) { fj = i32(2u * J) - 1 + i32(q); }
    if (fj < 0 || fj >= i32(lv.ny)) { continue; }
    let wyv = wy(u32(fj), J, lv.ry, lv.cny);
    if (wyv == 0.0) { continue; }
    for (var p = 0u; p < ni; p++) {
      var fi = i32(I);
      if (lv.rx == 2u) { fi = (i32(2u * I) - 1 + i32(p) + i32(lv.nx)) % i32(lv.nx); }
      let wxv = wx(u32(fi), I, lv.rx, lv.cnx);
      s += wxv * wyv * smoothedResidual(lv, u32(fi), u32(fj), stored);
    }
  }
  B[lu + lv.coff + C] = s;
}

/**
 * Rows j0 .. j1 - 1 of column i's B on level L, restricted from the level above (restrictAt), where the sweep is the
 * first of its colour on the level (L.restrictB): the restriction pass (restrictLevel) folded into the sweep, done
 * by the thread that first reads those rows. The engine does so where a thread walks each line; where the lines go
 * by reduction the pass of its own is faster (a thread here computes its whole block's restriction in turn). Each
 * coarse cell's B is computed once (by the thread whose rows hold it; twice, to the same bits, on a halo line of
 * zebraPcr), from the level above's U as that level's last sweep left it, and stored for the sweeps after. The same
 * arithmetic as the pass it replaces, so the same B to the bit.
 */
fn restrictColumn(i: u32, j0: u32, j1: u32) {
  if (L.restrictB == 0u) { return; }
  let p = parentLevel();
  for (var j = j0; j < j1; j++) { restrictAt(p, j * L.nx + i, false); }
}

/**
 * This level's B, the restriction of the level above's residual, in a pass of its own: one thread a coarse cell
 * (where the level's sweeps do not compute it themselves, L.restrictB 0 on every group; see restrictColumn). The
 * same arithmetic, so the same B to the bit.
 */
@compute @workgroup_size(64)
fn restrictLevel(@builtin(global_invocation_id) g: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  enterLane(g.z);
  let C = flatIndex(g, nwg);
  if (C >= L.nx * L.ny || converged()) { return; }
  restrictAt(parentLevel(), C, false);
}

// ---- the coarse end of the V-cycle in one pass ----
// From the bound level down (a few small levels), one workgroup does the whole V-cycle, the same steps as the
// per-level passes, with a storage barrier where those passes would end. Each line is walked by one thread: on an
// H100 that took 154 us a V-cycle from 32 x 32 down, and solving all the lines of a colour together by parallel
// cyclic reduction 174 us (the pass is bound by its chain of phases, each a storage barrier and a round trip).
// BOTTOM_THREADS is the workgroup size (an override: the engine sets it per adapter). The line sweeps use at most
// one thread a line of the colour (16 at 32 x 32); the residual and restriction phases use them all.
override BOTTOM_THREADS: u32 = 16u;

fn sweepWG(lv: Lv, t: u32, color: u32, nb: u32) {
  let stride = select(2u, 1u, lv.nx == 1u);
  for (var i = color + t * stride; i < lv.nx; i += BOTTOM_THREADS * stride) { solveLine(lv, i, nb); }
  storageBarrier();
}

@compute @workgroup_size(BOTTOM_THREADS)
fn bottom(@builtin(workgroup_id) w: vec3u, @builtin(local_invocation_index) t: u32) {
  enterLane(w.z);
  if (convergedWG(t)) { return; }
  // This level's B, restricted from the level above (a per-level pass's; restrictColumn), unless it is level 0.
  if (L.pnx > 0u) {
    let p = parentLevel();
    for (var C = t; C < L.nx * L.ny; C += BOTTOM_THREADS) { restrictAt(p, C, false); }
    storageBarrier();
  }
  var m = 1u;
  for (var lv = uniformLevel(); lv.rx * lv.ry > 1u; lv = nextLevel(lv)) { m++; }
  // Down: 2 zebra sweeps (the first from U = 0), restriction of the residual.
  for (var d = 0u; d + 1u < m; d++) {
    let lv = levelBelow(d);
    let one = lv.nx == 1u;
    for (var s = 0u; s < 2u; s++) {
      sweepWG(lv, t, 0u, select(NB_U, NB_ZERO, s == 0u));
      if (!one) { sweepWG(lv, t, 1u, NB_U); }
    }
    // Colour 0's residuals (smoothedResidual), each once.
    let half = select((lv.nx + 1u) / 2u, 0u, one);
    for (var k = t; k < half * lv.ny; k += BOTTOM_THREADS) {
      let i = 2u * (k % half); let j = k / half;
      R[lu + lv.off + j * lv.nx + i] = residualAt(lv, i, j);
    }
    storageBarrier();
    for (var C = t; C < lv.cnx * lv.cny; C += BOTTOM_THREADS) { restrictAt(lv, C, true); }
    storageBarrier();
  }
  // Coarsest: 4 zebra sweeps forward and 4 back from U = 0, as the CPU does, by one thread (a few cells).
  if (t == 0u) {
    let lv = levelBelow(m - 1u);
    let stride = select(2u, 1u, lv.nx == 1u);
    for (var s = 0u; s < 8u; s++) {
      for (var c = 0u; c < 2u; c++) {
        var color = select(c, 1u - c, s >= 4u);
        if (lv.nx == 1u) { if (c == 1u) { break; } color = 0u; }
        for (var i = color; i < lv.nx; i += stride) { solveLine(lv, i, select(NB_U, NB_ZERO, s == 0u && c == 0u)); }
      }
    }
  }
  storageBarrier();
  // Up: prolongation with the first post-smoothing sweep, then the rest of 2 zebra sweeps in reverse order.
  for (var d = i32(m) - 2; d >= 0; d--) {
    let lv = levelBelow(u32(d));
    if (lv.nx == 1u) {
      sweepWG(lv, t, 0u, NB_PROLONG);
      sweepWG(lv, t, 0u, NB_U);
    } else {
      sweepWG(lv, t, 1u, NB_PROLONG);
      sweepWG(lv, t, 0u, NB_U);
      sweepWG(lv, t, 1u, NB_U);
      sweepWG(lv, t, 0u, NB_U);
    }
  }
}

/**
 * The operators of this level and every coarser one, and their line factors, in one pass (the engine starts it at
 * the first level of at most 1024 cells, whatever level the V-cycle's bottom pass starts at): each of those levels
 * took a coarsen dispatch of a few threads, and a factorLines one where a thread walks its lines, per system and
 * step. The same arithmetic as those passes, with a storage barrier where they ended; it factors every level it
 * walks, also one whose lines the line reductions solve (they do not read T: a little wasted work).
 */
@compute @workgroup_size(BOTTOM_THREADS)
fn buildCoarse(@builtin(local_invocation_index) t: u32) {
  for (var lv = uniformLevel(); ; lv = nextLevel(lv)) {
    for (var i = t; i < lv.nx; i += BOTTOM_THREADS) { factorAt(lv, i); }
    if (lv.rx * lv.ry == 1u) { break; }
    for (var C = t; C < lv.cnx * lv.cny; C += BOTTOM_THREADS) { coarsenAt(lv, C); }
    storageBarrier();
  }
}

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
// Bindings (L: Level, A, T, U, B, R, PS and V, the whole-sweep passes' second copy of a colour's columns):
// src/engine/bindings.ts MODULES.multigrid (group 0).

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

// The same line solves on a hardware GPU (smoothLinesPcr, smoothProlongPcr, zebraPcr): multigrid_pcr.wgsl.

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
// per-level passes, with a storage barrier where those passes would end. Each line is walked by one thread, which
// was faster than solving all the lines of a colour together by parallel cyclic reduction (the pass is bound by its
// chain of phases, each a storage barrier and a round trip; docs/PERFORMANCE.md).
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

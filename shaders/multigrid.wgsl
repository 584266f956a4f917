// Multigrid passes on one level (potential_smooth / potential_restrict / prolongation of docs/MODEL.md;
// the same passes serve the concentration system). Levels live one after another in each buffer at `off`.
// A: (ax, ay, e, -) per cell; T: y-line LU factors (tc, 1/pivot); U: unknown; B: right side; R: residual.
struct Level {
  nx: u32, ny: u32, off: u32, color: u32,
  cnx: u32, cny: u32, coff: u32, rx: u32,
  ry: u32, pad0: u32, pad1: u32, pad2: u32,
};
@group(0) @binding(0) var<uniform> L: Level;
@group(0) @binding(1) var<storage, read_write> A: array<vec4f>;
@group(0) @binding(2) var<storage, read_write> T: array<vec2f>;
@group(0) @binding(3) var<storage, read_write> U: array<f32>;
@group(0) @binding(4) var<storage, read_write> B: array<f32>;
@group(0) @binding(5) var<storage, read_write> R: array<f32>;

fn wrapW(i: u32, n: u32) -> u32 { return select(i - 1u, n - 1u, i == 0u); }
fn wrapE(i: u32, n: u32) -> u32 { return select(i + 1u, 0u, i == n - 1u); }
fn flatIndex(g: vec3u, nwg: vec3u) -> u32 { return g.x + g.y * nwg.x * 64u; }

/** Coarse operator (level l+1) from the fine one: the sums of the fine equations. */
@compute @workgroup_size(64)
fn coarsen(@builtin(global_invocation_id) g: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let C = flatIndex(g, nwg);
  if (C >= L.cnx * L.cny) { return; }
  let I = C % L.cnx; let J = C / L.cnx;
  var ax = 0.0; var ay = 0.0; var e = 0.0;
  for (var k = 0u; k < L.ry; k++) { ax += A[L.off + (L.ry * J + k) * L.nx + L.rx * I + L.rx - 1u].x; }
  for (var k = 0u; k < L.rx; k++) { ay += A[L.off + (L.ry * J + L.ry - 1u) * L.nx + L.rx * I + k].y; }
  for (var q = 0u; q < L.ry; q++) {
    for (var p = 0u; p < L.rx; p++) { e += A[L.off + (L.ry * J + q) * L.nx + L.rx * I + p].z; }
  }
  A[L.coff + C] = vec4f(select(ax / f32(L.rx), 0.0, L.cnx == 1u), ay / f32(L.ry), e, 0.0);
}

/** LU factors of each y-line's tridiagonal matrix: one thread per column. */
@compute @workgroup_size(64)
fn factorLines(@builtin(global_invocation_id) g: vec3u) {
  let i = g.x;
  if (i >= L.nx) { return; }
  let iw = wrapW(i, L.nx);
  var tcPrev = 0.0;
  for (var j = 0u; j < L.ny; j++) {
    let Pi = L.off + j * L.nx + i;
    let a = A[Pi];
    var as_ = 0.0;
    if (j > 0u) { as_ = A[Pi - L.nx].y; }
    let diag = a.z + A[L.off + j * L.nx + iw].x + a.x + as_ + a.y;
    let inv = 1.0 / (diag + as_ * tcPrev);
    let tc = select(0.0, -a.y * inv, j < L.ny - 1u);
    T[Pi] = vec2f(tc, inv);
    tcPrev = tc;
  }
}

/** Zebra y-line Gauss-Seidel: the columns of one colour, each solved exactly along y. */
@compute @workgroup_size(64)
fn smoothLines(@builtin(global_invocation_id) g: vec3u) {
  let stride = select(2u, 1u, L.nx == 1u);
  let i = g.x * stride + L.color;
  if (i >= L.nx) { return; }
  let iw = wrapW(i, L.nx); let ie = wrapE(i, L.nx);
  var prev = 0.0;
  for (var j = 0u; j < L.ny; j++) {
    let row = L.off + j * L.nx;
    let Pi = row + i;
    let rhs = B[Pi] + A[row + iw].x * U[row + iw] + A[Pi].x * U[row + ie];
    var up = 0.0;
    if (j > 0u) { up = A[Pi - L.nx].y * prev; }
    prev = (rhs + up) * T[Pi].y;
    U[Pi] = prev;
  }
  if (L.ny < 2u) { return; }
  var j = i32(L.ny) - 2;
  loop {
    if (j < 0) { break; }
    let Pi = L.off + u32(j) * L.nx + i;
    U[Pi] = U[Pi] - T[Pi].x * U[Pi + L.nx];
    j = j - 1;
  }
}

/** R = B - A U on one level. */
@compute @workgroup_size(64)
fn residual(@builtin(global_invocation_id) g: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let k = flatIndex(g, nwg);
  if (k >= L.nx * L.ny) { return; }
  let i = k % L.nx; let j = k / L.nx;
  let row = L.off + j * L.nx;
  let Pi = row + i;
  let W = row + wrapW(i, L.nx); let E = row + wrapE(i, L.nx);
  let up = U[Pi];
  var au = A[Pi].z * up + A[W].x * (up - U[W]) + A[Pi].x * (up - U[E]);
  if (j > 0u) { au += A[Pi - L.nx].y * (up - U[Pi - L.nx]); }
  if (j == L.ny - 1u) { au += A[Pi].y * up; } else { au += A[Pi].y * (up - U[Pi + L.nx]); }
  R[Pi] = B[Pi] - au;
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

/** Coarse B = P^T (fine R): the transpose of the prolongation, gathered per coarse cell. */
@compute @workgroup_size(64)
fn restrictResidual(@builtin(global_invocation_id) g: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let C = flatIndex(g, nwg);
  if (C >= L.cnx * L.cny) { return; }
  let I = C % L.cnx; let J = C / L.cnx;
  var s = 0.0;
  let ni = select(1u, 4u, L.rx == 2u); let nj = select(1u, 4u, L.ry == 2u);
  for (var q = 0u; q < nj; q++) {
    var fj = i32(J);
    if (L.ry == 2u) { fj = i32(2u * J) - 1 + i32(q); }
    if (fj < 0 || fj >= i32(L.ny)) { continue; }
    let wyv = wy(u32(fj), J, L.ry, L.cny);
    if (wyv == 0.0) { continue; }
    for (var p = 0u; p < ni; p++) {
      var fi = i32(I);
      if (L.rx == 2u) { fi = (i32(2u * I) - 1 + i32(p) + i32(L.nx)) % i32(L.nx); }
      let wxv = wx(u32(fi), I, L.rx, L.cnx);
      s += wxv * wyv * R[L.off + u32(fj) * L.nx + u32(fi)];
    }
  }
  B[L.coff + C] = s;
}

/** Fine U += P (coarse U), bilinear. */
@compute @workgroup_size(64)
fn prolong(@builtin(global_invocation_id) g: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let k = flatIndex(g, nwg);
  if (k >= L.nx * L.ny) { return; }
  let i = k % L.nx; let j = k / L.nx;
  var I = i; var I2 = i; var wx2 = 0.0;
  if (L.rx == 2u) {
    I = i >> 1u; wx2 = 0.25;
    if ((i & 1u) == 1u) { I2 = select(I + 1u, 0u, I + 1u == L.cnx); } else { I2 = select(I - 1u, L.cnx - 1u, I == 0u); }
  }
  var J = j; var J2 = j; var sy = 0.0;
  if (L.ry == 2u) {
    J = j >> 1u; sy = 0.25;
    if ((j & 1u) == 1u) { J2 = J + 1u; } else { J2 = select(J - 1u, 0u, J == 0u); }
    if (J == 0u && (j & 1u) == 0u) { J2 = J; }
    if (J2 >= L.cny) { J2 = J; sy = -0.25; }
  }
  let wy2 = select(0.0, 0.25, L.ry == 2u);
  let w00 = (1.0 - wx2) * (1.0 - wy2); let w01 = (1.0 - wx2) * sy; let w10 = wx2 * (1.0 - wy2); let w11 = wx2 * sy;
  let cu = L.coff;
  U[L.off + k] += w00 * U[cu + J * L.cnx + I] + w01 * U[cu + J2 * L.cnx + I] + w10 * U[cu + J * L.cnx + I2] + w11 * U[cu + J2 * L.cnx + I2];
}

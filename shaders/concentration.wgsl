// Concentration: the right side of the backward-Euler Nernst-Planck system (migration t+ j / nF from the new
// potential, gathered per cell on the potential's faces), and the reservoir influx. The unknown is dc = c / c0 - 1,
// the deviation from the reservoir: A dc = b - A 1, and A 1 is 1 in every cell plus, on the top row, the reservoir
// coupling D dt / dx^2 x 2, which the c form adds to b (the CPU's) and the dc form drops. So no term of size
// 2 D dt / dx^2 (up to ~1e6 for fine cells and fast diffusion) meets a value near 1 in f32, and the influx
// 2 D dt / dx^2 (1 - c) = -2 D dt / dx^2 dc keeps every digit of dc.
// Bindings: src/engine/bindings.ts MODULES.concentration (group 1; group 0 is params.wgsl's).

var<workgroup> red: array<f32, 64>; // one workgroup of 64 sums a reduction

@compute @workgroup_size(256)
fn concRhs(@builtin(global_invocation_id) g: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let k = cellIndex(g, nwg);
  if (k >= P.nx * P.ny) { return; }
  let nx = P.nx;
  let i = k % nx; let j = k / nx;
  let Wk = j * nx + west(i); let Ek = j * nx + east(i);
  let p = phi[k]; let t = tp[k];
  var m = phiA[k].x * 0.5 * (t + tp[Ek]) * (phi[Ek] - p) + phiA[Wk].x * 0.5 * (t + tp[Wk]) * (phi[Wk] - p);
  if (j > 0u) { m += phiA[k - nx].y * 0.5 * (t + tp[k - nx]) * (phi[k - nx] - p); }
  if (j < P.ny - 1u) {
    m += phiA[k].y * 0.5 * (t + tp[k + nx]) * (phi[k + nx] - p);
  } else {
    m += phiA[k].y * t * (0.0 - p);
  }
  cB0[k] = cB0[k] + P.migration * m;
  let N = P.nx * P.ny;
  let d = dc[k];
  dc[k] = 2.0 * d - dc[N + k];
  dc[N + k] = d;
}

/** Zn entering through the reservoir face this step (migration + diffusion), in scaled cell units. */
@compute @workgroup_size(64)
fn concTop(@builtin(local_invocation_index) t: u32) {
  let row = (P.ny - 1u) * P.nx;
  var s = 0.0;
  for (var i = t; i < P.nx; i += 64u) {
    let k = row + i;
    s += P.migration * phiA[k].y * tp[k] * (0.0 - phi[k]) + cA[k].y * (0.0 - dc[k]);
  }
  red[t] = s;
  workgroupBarrier();
  for (var q = 32u; q > 0u; q >>= 1u) {
    if (t < q) { red[t] += red[t + q]; }
    workgroupBarrier();
  }
  if (t == 0u) { S[S_TOPIN] += red[0]; }
}

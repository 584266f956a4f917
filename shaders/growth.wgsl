// Growth: the phase-field update from the corrector's currents, the Zn sink of the concentration system and
// the step's Zn and HER currents.
@group(1) @binding(0) var<storage, read> react: array<vec4f>;
@group(1) @binding(1) var<storage, read_write> xi: array<f32>;
@group(1) @binding(2) var<storage, read> c: array<f32>;
@group(1) @binding(3) var<storage, read_write> qcell: array<f32>;
@group(1) @binding(4) var<storage, read_write> cB0: array<f32>;
@group(1) @binding(5) var<storage, read_write> partial: array<vec4f>;

var<workgroup> red: array<vec4f, 256>;

@compute @workgroup_size(256)
fn growCells(@builtin(workgroup_id) wg: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) t: u32) {
  let w = wg.x + wg.y * nwg.x; let k = w * 256u + t;
  var v = vec4f(0.0);
  if (k < P.nx * P.ny) {
    let r = react[k];
    let qBV = r.x * S[S_EC] - r.y * S[S_EA];
    let qH = r.z * S[S_EH];
    var qZn = qBV;
    if (P.mode1d == 0u) {
      let dxi = P.dt * (r.w + P.vmOverNF * qBV);
      xi[k] = xi[k] + dxi;
      qZn = (P.nfcs * dxi) / P.dt;
    }
    qcell[k] = qZn;
    if (k == 0u) { S[S_Q0] = qZn + qH; }
    let sink = (qZn * P.dt) / P.nfc0;
    cB0[k] = c[k] - sink;
    v = vec4f(sink, qZn, qH, 0.0);
  }
  red[t] = v;
  workgroupBarrier();
  for (var s = 128u; s > 0u; s >>= 1u) {
    if (t < s) { red[t] += red[t + s]; }
    workgroupBarrier();
  }
  if (t == 0u) { partial[w] = red[0]; }
}

@compute @workgroup_size(256)
fn growFinal(@builtin(local_invocation_index) t: u32) {
  let np = (P.nx * P.ny + 255u) / 256u;
  var s = vec4f(0.0);
  for (var k = t; k < np; k += 256u) { s += partial[k]; }
  red[t] = s;
  workgroupBarrier();
  for (var q = 128u; q > 0u; q >>= 1u) {
    if (t < q) { red[t] += red[t + q]; }
    workgroupBarrier();
  }
  if (t != 0u) { return; }
  let dA = P.dx * P.dx;
  let Lx = f32(P.nx) * P.dx;
  S[S_DEP] += red[0].x;
  S[S_IZN] = red[0].y * dA / Lx;
  S[S_IH] = red[0].z * dA / Lx;
  S[S_QZN] += S[S_IZN] * P.dt;
  S[S_QH] += S[S_IH] * P.dt;
}

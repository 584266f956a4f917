// Fine-level operators of the potential (conductance / sigma_l) and concentration (D dt / dx^2) systems:
// face coefficients ax (east), ay (north; on the top row: to the reservoir), and the transference number.
// phiA / cA hold (ax, ay, e, -) of level 0 of each multigrid.
// Bindings: src/engine/bindings.ts MODULES.operators (group 1; group 0 is params.wgsl's).

struct Props { sx: f32, sy: f32, dxv: f32, dyv: f32, tp: f32 };

fn props(Pi: u32) -> Props {
  let i = Pi % P.nx; let j = Pi / P.nx;
  let chi = bandFrac(j) * cols[i * 8u + 1u];
  let metal = hInterp(clamp(xi[Pi], 0.0, 1.0));
  let open = 1.0 - metal;
  let fl = P.floorK * metal;
  // A by-product film carries ions through its pores only (src/reference/operators.ts): in series across it, in
  // parallel along it.
  var ox = open; var oy = open;
  if (P.byproduct == 1u) {
    let cover = filmCover(filmAt(Pi));
    ox *= 1.0 - cover + cover * ZHS_PORE_TRANSPORT;
    oy /= 1.0 - cover + cover / ZHS_PORE_TRANSPORT;
  }
  var p: Props;
  p.sx = (chi * P.sBandX + (1.0 - chi)) * ox + fl;
  p.sy = (chi * P.sBandY + (1.0 - chi)) * oy + fl;
  p.dxv = (chi * P.dBandX + (1.0 - chi) * P.dLiquid) * ox + fl * P.dLiquid;
  p.dyv = (chi * P.dBandY + (1.0 - chi) * P.dLiquid) * oy + fl * P.dLiquid;
  p.tp = chi * P.tpBand + (1.0 - chi) * P.tpLiquid;
  return p;
}

fn harmonic(a: f32, b: f32) -> f32 { return (2.0 * a * b) / (a + b); }

@compute @workgroup_size(256)
fn fillOperators(@builtin(global_invocation_id) g: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let Pi = g.x + g.y * nwg.x * 256u;
  if (Pi >= P.nx * P.ny) { return; }
  let i = Pi % P.nx; let j = Pi / P.nx;
  let me = props(Pi);
  let pe = props(j * P.nx + east(i));
  var pax = 0.0; var cax = 0.0;
  if (P.nx > 1u) { pax = harmonic(me.sx, pe.sx); cax = harmonic(me.dxv, pe.dxv); }
  var pay: f32; var cay: f32;
  if (j < P.ny - 1u) {
    let pn = props(Pi + P.nx);
    pay = harmonic(me.sy, pn.sy); cay = harmonic(me.dyv, pn.dyv);
  } else {
    pay = 2.0 * me.sy; cay = 2.0 * me.dyv;
  }
  phiA[Pi] = vec4f(pax, pay, phiA[Pi].z, 0.0);
  cA[Pi] = vec4f(cax, cay, 1.0, 0.0);
  tp[Pi] = me.tp;
  if (Pi == 0u) { S[S_SY0] = me.sy; }
}

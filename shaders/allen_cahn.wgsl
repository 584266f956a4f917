// The Allen-Cahn operator of one cell (src/model/allenCahn.ts allenCahnRate), times Gamma: its rate in 1/s, from the
// cell's phase field and its four neighbours'. Included by the reaction (a step's rate) and by ac_substeps.wgsl (a
// long step's substeps).

fn acRateOf(x: f32, xW: f32, xE: f32, xS: f32, xN: f32) -> f32 {
  let gx = 0.5 * (xE - xW); let gy = 0.5 * (xN - xS);
  let g2 = gx * gx + gy * gy;
  var cos6 = 0.0;
  if (g2 > 1e-12) {
    let a = gx * gx; let b = gy * gy;
    cos6 = (a * a * a - 15.0 * a * a * b + 15.0 * a * b * b - b * b * b) / (g2 * g2 * g2);
  }
  let lap = xW + xE + xS + xN - 4.0 * x;
  let ell2 = 2.0 * P.ell * P.ell;
  return -P.gamma * (2.0 * x * (1.0 - x) * (1.0 - 2.0 * x) - ell2 * (1.0 + P.aniso * cos6) * lap);
}

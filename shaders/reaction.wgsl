// Reaction weights of every cell (Butler-Volmer with nucleation, mechanics and tip terms; HER; Allen-Cahn),
// their interface sums, and the galvanostatic electrode potential (one thread, bracketed Newton).
// react: per cell (cathodic, anodic, HER) at u = 0 in A/m3, and the Allen-Cahn rate in 1/s.
// Bindings: src/engine/bindings.ts MODULES.reaction (group 1; group 0 is params.wgsl's).
// Includes sum_slots.wgsl (sumSlots, red), cells.wgsl (conc), allen_cahn.wgsl (acRateOf) and film.wgsl (filmAt).

fn facePotential() -> f32 {
  let s0 = S[S_SY0];
  return select(phi[0], phi[0] - (S[S_Q0] * P.qToPhi) / (2.0 * s0), s0 > 0.0);
}

/** phi and c~ at height y (cells; cell j's centre at j + 0.5) in column i, linear in y. */
fn alongColumn(i: u32, y: f32) -> vec2f {
  let jf = clamp(y - 0.5, 0.0, f32(P.ny - 1u));
  let j0 = min(P.ny - 2u, u32(floor(jf)));
  let t = jf - f32(j0);
  let a = j0 * P.nx + i; let b = a + P.nx;
  return mix(vec2f(phi[a], conc(a)), vec2f(phi[b], conc(b)), t);
}

/**
 * The tip closure's drive of column i (V per cell), as src/reference/columns.ts tipDrives: the field ahead of the
 * column's top, between tipProbeNear and tipProbeFar above it, carried to the tip under the layer that covers it by
 * the continuity of current and flux, times the anion share of the current at the tip.
 */
fn tipDrive(i: u32) -> f32 {
  let top = cols[i * 8u + 5u];
  let y1 = top + P.tipProbeNear;
  let dy = P.tipProbeFar - P.tipProbeNear;
  let k = select(0.0, cols[i * 8u + 1u], P.hasCoating == 1u);
  let mid = y1 + 0.5 * dy;
  let lo = S[S_MEAN];
  let chi = select(0.0, k, mid >= lo && mid < lo + P.bandCells);
  let sRatio = (chi * P.sBandY + 1.0 - chi) / (k * P.coatS + 1.0 - k);
  let dRatio = (chi * P.dBandY + (1.0 - chi) * P.dLiquid) / (k * P.coatD + (1.0 - k) * P.dLiquid);
  let a = alongColumn(i, y1);
  let b = alongColumn(i, y1 + dy);
  let gphi = abs(b.x - a.x) / dy;
  let gc = abs(b.y - a.y) / dy / max(0.05, a.y) / P.fNRT;
  let anion = (1.0 - (k * P.coatTp + (1.0 - k) * P.tpLiquid)) / (1.0 - P.tpLiquid);
  return anion * (gphi * sRatio + gc * dRatio);
}

fn cellReaction(Pi: u32) -> vec4f {
  let nx = P.nx; let ny = P.ny;
  let i = Pi % nx; let j = Pi / nx;
  let x = xi[Pi];
  let f = P.fNRT;
  let is1d = P.mode1d == 1u;
  let chi = bandFrac(j) * cols[i * 8u + 1u];
  var wZn = 0.0; var wH = 0.0; var rac = 0.0;
  let W = j * nx + west(i); let E = j * nx + east(i);
  if (is1d) {
    wZn = select(0.0, 1.0 / P.dx, j == 0u);
    wH = wZn;
  } else {
    let xW = xi[W]; let xE = xi[E];
    let xS = select(x, xi[Pi - nx], j > 0u);
    let xN = select(x, xi[Pi + nx], j < ny - 1u);
    let gx = 0.5 * (xE - xW); let gy = 0.5 * (xN - xS);
    let g2 = gx * gx + gy * gy;
    // A long step's Allen-Cahn change comes from its substeps (ac_substeps.wgsl), the xi buffer's fourth or fifth field.
    if (P.acSub > 1u) { rac = xi[select(4u, 3u, P.acSub % 2u == 1u) * nx * ny + Pi] / P.dt; }
    else { rac = acRateOf(x, xW, xE, xS, xN); }
    var host = 0.0;
    if (P.hostGain > 0.0) { host = (P.hostGain * chi * (1.0 - x)) / (P.bandCells * P.dx); }
    let inZone = f32(j) + 0.5 < P.substrateCells + P.nucleationZone;
    let m = select(1.0, cols[i * 8u], inZone && chi < 0.5);
    wZn = 30.0 * x * x * (1.0 - x) * (1.0 - x) / (5.0 * P.ell * P.dx) * m + host;
    wH = sqrt(g2) / P.dx + host;
    // Cells cut off from the substrate take no electrons (dead.wgsl).
    if (xi[2u * nx * ny + Pi] > 0.5) { wZn = 0.0; wH = 0.0; rac = 0.0; }
    // Capillarity moves zinc only: never below a copper substrate's own metal.
    if (P.cu == 1u && rac < 0.0) { rac = max(rac, (xi[nx * ny + Pi] - x) / P.dt); }
  }
  // A by-product film covers the reaction of the metal beneath it (byproduct.ts open): its cell's and the one above.
  if (P.byproduct == 1u) {
    var up = 0.0;
    if (j < ny - 1u) { up = filmAt(Pi + nx); }
    let open = 1.0 - filmCover(filmAt(Pi) + up) * (1.0 - ZHS_OPEN_FLOOR);
    wZn *= open; wH *= open;
  }
  var out = vec4f(0.0, 0.0, 0.0, rac);
  let ph = select(phi[Pi], facePotential(), is1d);
  if (wZn > 0.0) {
    var tip = 0.0;
    let prot = cols[i * 8u + 6u];
    // Field focusing at a tip speeds whichever reaction the applied current drives: plating, or stripping.
    if (!is1d && prot > 0.0) { tip = sign(P.iApp) * min(P.tipCap, P.tipGain * prot * tipDrive(i)); }
    let etaP = -ph + cols[i * 8u + 7u] - tip;
    out.x = wZn * P.i0 * max(0.0, conc(Pi)) * expClip(-P.alphaC * f * etaP);
    // On copper only the cell's zinc (its metal above the copper's) dissolves.
    var zinc = 1.0;
    if (P.cu == 1u && !is1d) { zinc = select(0.0, clamp((x - xi[nx * ny + Pi]) / x, 0.0, 1.0), x > 0.0); }
    out.y = wZn * zinc * P.i0 * expClip(P.alphaA * f * etaP);
  }
  if (wH > 0.0) {
    let k = cols[i * 8u + 1u];
    let fh = select(P.herCoatFactor, k * P.herCoatFactor + (1.0 - k), P.hasCoating == 1u);
    out.z = wH * P.iH0 * fh * expClip(P.alphaHrel * f * ph);
  }
  return out;
}

@compute @workgroup_size(64)
fn reactCells(@builtin(workgroup_id) wg: vec3u, @builtin(num_workgroups) nwg: vec3u,
              @builtin(local_invocation_index) t: u32) {
  let w = wg.x + wg.y * nwg.x;
  var v = vec4f(0.0);
  for (var q = 0u; q < CHUNK; q++) {
    let Pi = chunkCell(w, q, t);
    if (Pi >= P.nx * P.ny) { break; }
    let r = cellReaction(Pi);
    react[Pi] = r;
    v += vec4f(r.x, r.y, r.z, P.nfcs * r.w);
  }
  partial[w * 64u + t] = v;
}

fn gOf(u: f32, A: f32, B: f32, C: f32, Sac: f32, I: f32) -> f32 {
  return B * expClip(-P.alphaC * u) - A * expClip(P.alphaA * u) + C * expClip(-P.alphaHrel * u) + Sac - I;
}

/** Sums the partials, then solves B e^{-ac u} - A e^{aa u} + C e^{-ah u} + S = I for u = f E_m. */
@compute @workgroup_size(64)
fn reactSolve(@builtin(local_invocation_index) t: u32) {
  let s = sumSlots(t, 0u, partCount(), 64u);
  if (t != 0u) { return; }
  let dA = P.dx * P.dx;
  let B = s.x * dA; let A = s.y * dA; let C = s.z * dA; let Sac = s.w * dA;
  let I = P.iApp * f32(P.nx) * P.dx;
  var lo = -200.0; var hi = 200.0;
  var u = clamp(S[S_U], lo, hi);
  // Under potential control (a sweep step) E_m is imposed and the current is what it gives (reaction.ts).
  if (P.potentiostatic == 1u) { u = P.eImp * P.fNRT; }
  for (var it = 0; it < 100 && P.potentiostatic == 0u; it++) {
    let gu = gOf(u, A, B, C, Sac, I);
    if (abs(gu) <= 1e-6 * abs(I)) { break; }
    if (gu > 0.0) { lo = u; } else { hi = u; }
    let dg = -P.alphaC * B * expClip(-P.alphaC * u) - P.alphaA * A * expClip(P.alphaA * u)
      - P.alphaHrel * C * expClip(-P.alphaHrel * u) - 1e-30;
    var next = u - gu / dg;
    if (!(next > lo && next < hi)) { next = 0.5 * (lo + hi); }
    if (abs(next - u) < 1e-6) { u = next; break; }
    u = next;
  }
  S[S_U] = u; S[S_A] = A; S[S_B] = B; S[S_C] = C; S[S_SAC] = Sac;
  S[S_EC] = expClip(-P.alphaC * u); S[S_EA] = expClip(P.alphaA * u); S[S_EH] = expClip(-P.alphaHrel * u);
}

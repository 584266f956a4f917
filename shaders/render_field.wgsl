// Colours the field view, one pixel per cell, into packed RGBA8 (top row = reservoir side first). Layers:
//  0 deposit:       Zn metal (phase field) in silver over the electrolyte coloured by its Zn2+ concentration,
//                   the coating band tinted olive (the electrolyte mixed half with amber-yellow) where its column is
//                   intact and drawn as a dark gap where it cracked (bandTint, by the column's integrity); dead zinc
//                   (the mask in xi's third field, dead.wgsl) in tan (DEAD_ZINC);
//  1 concentration: Zn2+ concentration c0 * c on a perceptual scale from lo to hi (M), metal in grey;
//  2 potential:     electrolyte potential phi (V, as the solvers keep it) from lo (blue) to hi (white), metal in grey;
//  3 integrity:     the coating band coloured by its column's integrity (pale blue intact, dark orange cracked: a
//                   colour-blind-safe pair that also differs in lightness, so it reads in greyscale);
//  4 her:           the cell's HER current per electrode area, react.z * S[EH] * dx (A/m2) -> mA/cm2 (herScale =
//                   0.1 dx), on the ramp over decades from lo to hi; below lo (no HER) dark; metal in grey;
//  5 ph:            the electrolyte's pH from the alkalinity w = w0 + dw (mol/m3; dw the c buffer's third field,
//                   ph.wgsl), lo to hi (pH) on its own ramp (phRamp); dark where the run has no pH field (V.ph = 0);
//                   metal in grey;
//  6 byproduct:     the by-product film in each cell, its share of the cell's volume m V_ZHS / (1 - porosity) (m the
//                   c buffer's fourth field) times the cell size V.dxUm (um), over decades from lo (near-black;
//                   below it too) to hi (lilac); dark where the run forms none (V.film = 0); metal in grey.
// In the deposit layer the band is drawn lighter where its column is stretched: the column's strain (cols slot 3,
// columns.wgsl strainOf) over V.strainRef (the strain that would crack it unrelaxed) mixes it towards pale cream.
// alphaXi = 0: each pixel is the cell's colour with its metal mixed in, alpha 1 (one pixel per cell, as the tests and
// pictures of whole cells read it). alphaXi = 1 (the page): RGB the electrolyte's colour alone, alpha the metal
// fraction xi, from which src/ui/sim/fieldRenderer.ts draws the smooth xi = 0.5 outline and interpolates the colours
// between cell centres at the canvas's resolution. src/ui/sim/colorize.ts is the CPU twin of this file.
// The band: V.bandHi - V.bandLo cells thick (0: no coating), draped over the deposit as the model has it (the coating
// covers the whole metal surface, valleys too, and is strained by the deposit standing above the mean): in each
// column it lies on the deposit's top (cols slot 5, the last step's column pass: columns.wgsl topAt; 0 where the
// column holds no metal), read here so that every frame draws it where the last step had it, with no readback. Its
// cells are those whose centre lies above one cell below the lowest of the column's and its two neighbours' tops, up
// to the band's thickness from the surface (bandSpan: the tops dilated by a disc of that radius; the cell the top edge
// cuts tinted by the share it covers, so the edge runs smooth between cell centres): a skin of that
// thickness on the surface, on slopes too, that also runs down the side walls of a protrusion (the liquid columns
// beside a wall carry it up to the wall's top), and reaches one cell into the metal
// (hidden under the metal in opaque pictures) so that the page's colours, interpolated between cell centres, show
// the band right up to the xi = 0.5 outline. Periodic in x.
// film: 1 where the run forms the by-product (its amount per cell in the c buffer's fourth field: ph.wgsl), drawn in
// the deposit layer over the electrolyte by the share of the cell it covers (FILM).
// ph: 1 where the run has the pH field (the c buffer holds dw), w0 the reservoir's alkalinity (mol/m3); strainRef: 0 for
// a band drawn unshaded; dxUm the cell size (um).
struct View {
  nx: u32, ny: u32, bandLo: f32, bandHi: f32, layer: u32, lo: f32, hi: f32, alphaXi: f32, c0: f32, herScale: f32, film: f32, ph: f32,
  w0: f32, strainRef: f32, dxUm: f32, p2: f32,
};
// Bindings (V: View, the fields, pixels): src/engine/bindings.ts MODULES.render (group 0). Includes cells.wgsl (conc).

// S.EH of src/engine/layout.ts (S_EH of params.wgsl, which this module does not include): the corrector's
// exp(-alphaHrel u), the factor growth.wgsl multiplies react.z by for the cell's HER volume current.
const S_EH_SLOT = 3u;
// cols slot 5 (columns.wgsl): the deposit's top in column i, in cells from the bottom (0: no metal in it).
const COL_TOP = 5u;
const CRACK_MIX = 0.75;
const LIQUID_DARK = vec3f(0.12, 0.14, 0.20);
const METAL = vec3f(0.86, 0.88, 0.92);
const METAL_DIM = vec3f(0.45, 0.46, 0.50);
const DEAD_ZINC = vec3f(0.72, 0.62, 0.50);
// The by-product film (Zn4(OH)6SO4, a white salt): lilac, apart from the silver metal, the olive band and tan dead zinc;
// full colour from a quarter of a cell covered (FILM_SHOW), as a film thinner than a cell would otherwise not show.
const FILM = vec3f(0.80, 0.66, 0.90);
const FILM_SHOW = 4.0;
// The share of a cell's volume one mol/m3 of by-product fills (the by-product layer's, and times FILM_SHOW the deposit layer's cover).
const ZHS_FILL = ZHS_MOLAR_VOLUME / (1.0 - ZHS_POROSITY);
const STRETCHED = vec3f(1.0, 0.97, 0.80);
const STRETCH_MIX = 0.6;
const FILM_NONE = vec3f(0.10, 0.10, 0.13);
const KW = 1e-8; // water's ion product, (mol/m3)^2
const LOG10_2 = 0.30102999566398120;

// A viridis-like ramp (dark blue -> teal -> yellow) for t in [0, 1].
fn ramp(t: f32) -> vec3f {
  let x = clamp(t, 0.0, 1.0);
  let a = mix(vec3f(0.27, 0.00, 0.33), vec3f(0.13, 0.57, 0.55), smoothstep(0.0, 0.55, x));
  return mix(a, vec3f(0.99, 0.91, 0.14), smoothstep(0.55, 1.0, x));
}

// The pH ramp (dark indigo -> crimson -> light amber) for t in [0, 1].
fn phRamp(t: f32) -> vec3f {
  let x = clamp(t, 0.0, 1.0);
  let a = mix(vec3f(0.10, 0.05, 0.30), vec3f(0.78, 0.22, 0.38), smoothstep(0.0, 0.5, x));
  return mix(a, vec3f(0.99, 0.85, 0.45), smoothstep(0.5, 1.0, x));
}

// The pH of alkalinity w (mol/m3): [OH-] from [OH-] - K_w / [OH-] = w without cancellation (model/water.ts).
fn pHOf(w: f32) -> f32 {
  let r = sqrt(w * w + 4.0 * KW);
  var oh = 0.5 * (w + r);
  if (w < 0.0) { oh = 2.0 * KW / (r - w); }
  return 14.0 + log2(oh / 1000.0) * LOG10_2;
}

// The band's colour over `liquid` in a column of integrity k, stretched st of the way to V.strainRef: olive where
// intact, lighter as it stretches, a dark gap where cracked (src/ui/sim/colorize.ts bandTint, its CPU twin).
fn bandTint(liquid: vec3f, k: f32, st: f32) -> vec3f {
  let intact = mix(mix(liquid, vec3f(1.0, 0.80, 0.0), 0.5), STRETCHED, STRETCH_MIX * st);
  let x = clamp(k, 0.0, 1.0);
  if (x < 1.0) { return mix(mix(liquid, LIQUID_DARK, CRACK_MIX), intact, x); }
  return intact;
}

// The deposit's top in column i (periodic in x), as the last step's column pass found it.
fn topOf(i: i32) -> f32 {
  let n = i32(V.nx);
  return cols[u32(((i % n) + n) % n) * 8u + COL_TOP];
}

// The band's span in column i, [bottom, top) in cells (src/ui/sim/colorize.ts bandSpan, its CPU twin): from one cell
// below the lowest of its and its neighbours' tops to the deposit's surface dilated by a disc of radius `thick` (the
// highest of the tops d columns away plus sqrt(thick^2 - d^2)).
fn bandSpan(i: u32, thick: f32) -> vec2f {
  let a = topOf(i32(i) - 1); let b = topOf(i32(i)); let c = topOf(i32(i) + 1);
  var hi = b + thick;
  let r = i32(floor(thick));
  for (var d = 1; d <= r; d++) {
    let h = sqrt(thick * thick - f32(d * d));
    hi = max(hi, max(topOf(i32(i) - d), topOf(i32(i) + d)) + h);
  }
  return vec2f(min(min(a, b), c) - 1.0, hi);
}

@compute @workgroup_size(64)
fn colorize(@builtin(global_invocation_id) g: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let k = g.x + g.y * nwg.x * 64u;
  if (k >= V.nx * V.ny) { return; }
  let i = k % V.nx; let j = k / V.nx;
  let x = clamp(xi[k], 0.0, 1.0);
  let metal = smoothstep(0.3, 0.7, x);
  let y = f32(j) + 0.5;
  let thick = V.bandHi - V.bandLo;
  // The share of the cell the band covers: its top edge cuts the cell at b.y (a partly covered cell drawn partly
  // tinted, so the edge runs smooth between cell centres rather than in steps of whole cells); its bottom lies in
  // the metal, a hard edge.
  var inBand = 0.0;
  if (thick > 0.0) {
    let b = bandSpan(i, thick);
    if (y >= b.x) { inBand = clamp(b.y - f32(j), 0.0, 1.0); }
  }
  let span = max(1e-12, V.hi - V.lo);
  var liquid = vec3f(0.0);
  var solid = METAL_DIM;
  if (V.layer == 1u) {
    liquid = ramp((conc(k) * V.c0 - V.lo) / span);
  } else if (V.layer == 2u) {
    let t = clamp((phi[k] - V.lo) / span, 0.0, 1.0);
    liquid = mix(vec3f(0.10, 0.20, 0.65), vec3f(0.97, 0.97, 0.97), t);
  } else if (V.layer == 3u) {
    liquid = LIQUID_DARK;
    if (inBand > 0.0) {
      let band = mix(vec3f(0.60, 0.25, 0.05), vec3f(0.60, 0.82, 0.97), clamp(cols[i * 8u + 1u], 0.0, 1.0));
      liquid = band;
      if (inBand < 1.0) { liquid = mix(LIQUID_DARK, band, inBand); }
    }
    solid = METAL;
  } else if (V.layer == 4u) {
    let her = react[k].z * S[S_EH_SLOT] * V.herScale;
    liquid = LIQUID_DARK;
    if (her >= V.lo) { liquid = ramp((log2(her) - log2(V.lo)) / max(1e-12, log2(V.hi) - log2(V.lo))); }
  } else if (V.layer == 5u) {
    liquid = LIQUID_DARK;
    if (V.ph > 0.5) { liquid = phRamp((pHOf(V.w0 + dc[2u * V.nx * V.ny + k]) - V.lo) / span); }
  } else if (V.layer == 6u) {
    liquid = LIQUID_DARK;
    if (V.film > 0.5) {
      let um = dc[3u * V.nx * V.ny + k] * ZHS_FILL * V.dxUm;
      liquid = FILM_NONE;
      if (um >= V.lo) { liquid = mix(FILM_NONE, FILM, clamp((log2(um) - log2(V.lo)) / max(1e-12, log2(V.hi) - log2(V.lo)), 0.0, 1.0)); }
    }
  } else {
    liquid = mix(vec3f(0.05, 0.10, 0.35), vec3f(0.10, 0.55, 0.60), clamp(conc(k), 0.0, 1.0));
    if (inBand > 0.0) {
      var st = 0.0;
      if (V.strainRef > 0.0) { st = clamp(cols[i * 8u + 3u] / V.strainRef, 0.0, 1.0); }
      let band = bandTint(liquid, cols[i * 8u + 1u], st);
      if (inBand < 1.0) { liquid = mix(liquid, band, inBand); } else { liquid = band; }
    }
    if (V.film > 0.5) {
      let m = dc[3u * V.nx * V.ny + k];
      liquid = mix(liquid, FILM, min(1.0, FILM_SHOW * m * ZHS_FILL));
    }
    solid = METAL;
    if (xi[2u * V.nx * V.ny + k] > 0.5) { solid = DEAD_ZINC; }
  }
  var px = vec4f(mix(liquid, solid, metal), 1.0);
  if (V.alphaXi > 0.5) { px = vec4f(liquid, x); }
  pixels[(V.ny - 1u - j) * V.nx + i] = pack4x8unorm(px);
}

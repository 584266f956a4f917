// The by-product film (src/reference/byproduct.ts): its amount per cell, in the c buffer's fourth field (mol/m3;
// resources.ts), and the share of a cell it covers. The ZHS_ constants are generated from byproduct.ts (bindings.ts).
// Included by the modules that bind dc and the parameters: reaction, operators, ph, metrics.

fn filmAt(k: u32) -> f32 { return dc[3u * P.nx * P.ny + k]; }
fn filmCover(m: f32) -> f32 { return min(1.0, m * ZHS_MOLAR_VOLUME / (1.0 - ZHS_POROSITY)); }

// Colours the field view, one pixel per cell, into packed RGBA8 (top row first): Zn metal (phase field) in
// silver over the electrolyte coloured by its Zn2+ concentration (deep blue where depleted, teal at the bulk
// value), the coating band shaded amber. The page shows the small image scaled up.
struct View { nx: u32, ny: u32, bandLo: f32, bandHi: f32 };
@group(0) @binding(0) var<uniform> V: View;
@group(0) @binding(1) var<storage, read> xi: array<f32>;
@group(0) @binding(2) var<storage, read> c: array<f32>;
@group(0) @binding(3) var<storage, read_write> pixels: array<u32>;

@compute @workgroup_size(64)
fn colorize(@builtin(global_invocation_id) g: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let k = g.x + g.y * nwg.x * 64u;
  if (k >= V.nx * V.ny) { return; }
  let i = k % V.nx; let j = k / V.nx;
  let x = clamp(xi[k], 0.0, 1.0);
  let cc = clamp(c[k], 0.0, 1.0);
  var liquid = mix(vec3f(0.05, 0.10, 0.35), vec3f(0.10, 0.55, 0.60), cc);
  let y = f32(j) + 0.5;
  if (y >= V.bandLo && y < V.bandHi) { liquid = mix(liquid, vec3f(0.85, 0.55, 0.15), 0.45); }
  let rgb = mix(liquid, vec3f(0.86, 0.88, 0.92), smoothstep(0.3, 0.7, x));
  pixels[(V.ny - 1u - j) * V.nx + i] = pack4x8unorm(vec4f(rgb, 1.0));
}

// The final sum of a reduction's partial slots, shared by the passes that end one (prepended by the engine to
// pcg, reaction, potential and growth). The including module binds `partial: array<vec4f>` (the slots; WGSL
// cannot pass it as an argument).

// Threads of a final sum: the workgroup memory it sums in (64 unless the pipeline sets it; pcg's final passes do).
override RED_THREADS: u32 = 64u;
var<workgroup> red: array<vec4f, RED_THREADS>;

/**
 * The sum of slots base .. base + np - 1 by the R threads of one workgroup (R a power of two): each thread keeps eight
 * running sums over every eighth of its slots, so that eight loads are in flight instead of a chain of one memory
 * round trip a slot (~1 us each on an H100; at 1024^2 there are 16384 slots), then a tree over the workgroup.
 * Every thread gets the total. Call it from uniform control flow (it has barriers).
 */
fn sumSlots(t: u32, base: u32, np: u32, R: u32) -> vec4f {
  var s0 = vec4f(0.0); var s1 = s0; var s2 = s0; var s3 = s0; var s4 = s0; var s5 = s0; var s6 = s0; var s7 = s0;
  var k = t;
  for (; k + 7u * R < np; k += 8u * R) {
    let b = base + k;
    s0 += partial[b]; s1 += partial[b + R]; s2 += partial[b + 2u * R]; s3 += partial[b + 3u * R];
    s4 += partial[b + 4u * R]; s5 += partial[b + 5u * R]; s6 += partial[b + 6u * R]; s7 += partial[b + 7u * R];
  }
  for (; k < np; k += R) { s0 += partial[base + k]; }
  red[t] = ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
  workgroupBarrier();
  for (var q = R / 2u; q > 0u; q >>= 1u) {
    if (t < q) { red[t] += red[t + q]; }
    workgroupBarrier();
  }
  return red[0];
}

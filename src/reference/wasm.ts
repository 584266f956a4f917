/**
 * The multigrid's hot loops as a small WebAssembly module (about 5 KB), assembled here byte by byte (no
 * toolchain): the smoother (a level's sweeps in one call: each line's forward and backward pass), the line factors,
 * the coarse operators, the residual restricted and the prolongation on the rows between the bottom and the top,
 * A p with its dot product, and CG's vector updates (SIMD f64x2 where cells are contiguous). Each does the
 * arithmetic of the TypeScript code it stands for (smoother.ts, levelOps.ts, kernels.ts, multigrid.ts), operation
 * for operation in the same order, sums cell by cell in cell order: WebAssembly's f64 (and each f64x2 lane) is IEEE
 * double with round-to-nearest and never fuses a multiply and an add, so a run is the same to the bit with or
 * without it (tests/wasmKernels.test.ts). A one-thread Multigrid keeps its levels in the module's memory (views
 * on it are ordinary Float64Arrays, fixed in place: the memory never grows).
 *
 * Used where WebAssembly compiles: Node (the CLI, the benchmarks, the tests), not the app, whose
 * Content-Security-Policy does not allow compiling WebAssembly (the browser runs the TypeScript kernels).
 */

// ---- a minimal assembler ----------------------------------------------------------------------------------------
const I32 = 0x7f, F64 = 0x7c, V128 = 0x7b;
const op = {
  block: 0x02, loop: 0x03, br: 0x0c, brIf: 0x0d, end: 0x0b, get: 0x20, set: 0x21, tee: 0x22, select: 0x1b,
  i32c: 0x41, add: 0x6a, sub: 0x6b, mul: 0x6c, and: 0x71, xor: 0x73, shl: 0x74, shrS: 0x75, eq: 0x46, eqz: 0x45, geS: 0x4e,
  ltS: 0x48, gtS: 0x4a, load: 0x2b, store: 0x39, fadd: 0xa0, fsub: 0xa1, fmul: 0xa2, fdiv: 0xa3, fneg: 0x9a, fc: 0x44,
};

function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) { out.push(b); return out; }
    out.push(b | 0x80);
  }
}

/** Code builder: locals by index, a few structured helpers. */
class Code {
  readonly b: number[] = [];
  get(l: number): this { this.b.push(op.get, ...uleb(l)); return this; }
  set(l: number): this { this.b.push(op.set, ...uleb(l)); return this; }
  tee(l: number): this { this.b.push(op.tee, ...uleb(l)); return this; }
  i32(n: number): this { this.b.push(op.i32c, ...sleb(n)); return this; }
  f64(x: number): this { this.b.push(op.fc, ...new Uint8Array(new Float64Array([x]).buffer)); return this; }
  o(...ops: number[]): this { this.b.push(...ops); return this; }
  /** f64.load at (address on the stack) + offset. */
  ld(offset = 0): this { this.b.push(op.load, 3, ...uleb(offset)); return this; }
  /** f64.load at local a + local q. */
  ldAt(a: number, q: number, offset = 0): this { return this.get(a).get(q).o(op.add).ld(offset); }
  st(offset = 0): this { this.b.push(op.store, 3, ...uleb(offset)); return this; }
  /** SIMD (two f64 lanes, each lane's arithmetic that of the scalar op): v128.load at local a + local q + offset. */
  ldvAt(a: number, q: number, offset = 0): this { this.get(a).get(q).o(op.add).b.push(0xfd, 0x00, 3, ...uleb(offset)); return this; }
  stv(): this { this.b.push(0xfd, 0x0b, 3, 0); return this; }
  vadd(): this { this.b.push(0xfd, 0xf0, 0x01); return this; }
  vsub(): this { this.b.push(0xfd, 0xf1, 0x01); return this; }
  vmul(): this { this.b.push(0xfd, 0xf2, 0x01); return this; }
  lane(k: number): this { this.b.push(0xfd, 0x21, k); return this; }
  /** while (local[v] < local[lim]) { body; local[v] += inc } (inc: a constant or, as a string "L<n>", local n). */
  forLt(v: number, lim: number, inc: number | string, body: (c: this) => void): this {
    this.o(op.block, 0x40, op.loop, 0x40).get(v).get(lim).o(op.geS, op.brIf, 1);
    body(this);
    this.get(v);
    if (typeof inc === "number") this.i32(inc); else this.get(Number(inc.slice(1)));
    this.o(op.add).set(v).o(op.br, 0, op.end, op.end);
    return this;
  }
  /** while (local[v] >= 0) { body; local[v] -= local[dec] }. */
  forDown(v: number, dec: number, body: (c: this) => void): this {
    this.o(op.block, 0x40, op.loop, 0x40).get(v).i32(0).o(op.ltS, op.brIf, 1);
    body(this);
    this.get(v).get(dec).o(op.sub).set(v).o(op.br, 0, op.end, op.end);
    return this;
  }
}

interface Fn { name: string; params: number[]; results: number[]; locals: number[]; code: Code }

function moduleBytes(fns: Fn[]): Uint8Array {
  const section = (id: number, body: number[]) => [id, ...uleb(body.length), ...body];
  const vec = (items: number[][]) => [...uleb(items.length), ...items.flat()];
  const str = (s: string) => [...uleb(s.length), ...[...s].map((ch) => ch.charCodeAt(0))];
  const types = vec(fns.map((f) => [0x60, ...vec(f.params.map((t) => [t])), ...vec(f.results.map((t) => [t]))]));
  // import "m" "mem": memory, min 1 page
  const imports = vec([[...str("m"), ...str("mem"), 0x02, 0x00, 0x01]]);
  const funcs = vec(fns.map((_, k) => uleb(k)));
  const exports = vec(fns.map((f, k) => [...str(f.name), 0x00, ...uleb(k)]));
  const codes = vec(fns.map((f) => {
    const locals = vec(f.locals.map((t) => [1, t]));
    const body = [...locals, ...f.code.b, op.end];
    return [...uleb(body.length), ...body];
  }));
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, types), ...section(2, imports), ...section(3, funcs), ...section(7, exports), ...section(10, codes),
  ]);
}

// ---- the kernels ------------------------------------------------------------------------------------------------
// All addresses and strides are in bytes; every array is a Float64Array view on the module's memory.

/**
 * fwd(b, ax, ay, u, tinv, w, n8, iB, iwB, ieB, lo, hi, first): smoother.ts's forward pass of the lines of one
 * colour (nx even; w = 8 nx, n8 = 8 nx ny, the rest byte offsets within a row): row 0's cells first + 16 k, then
 * row by row the seam line's cell (at iB, neighbours iwB, ieB) and the cells lo, lo + 16, ... < hi:
 * u[Q] = (b[Q] + ax[W] u[W] + ax[Q] u[E] + ay[Q-nx] u[Q-nx]) tinv[Q]; from zero, only the terms in u of the colour.
 */
function fwd(fromZero: boolean): Fn {
  const [b, ax, ay, u, tinv, w, n8, iB, iwB, ieB, lo, hi, first] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
  const [q, qEnd, axm, um, ays, us, row, W, E] = [13, 14, 15, 16, 17, 18, 19, 20, 21];
  const c = new Code();
  // Row 0 (no row below): neighbours across the seam by select.
  c.get(first).set(q);
  c.forLt(q, w, 16, (c) => {
    c.get(u).get(q).o(op.add);
    c.ldAt(b, q);
    if (!fromZero) {
      c.get(w).i32(8).o(op.sub).get(q).i32(8).o(op.sub).get(q).o(op.eqz, op.select).set(W);
      c.i32(0).get(q).i32(8).o(op.add).get(q).get(w).i32(8).o(op.sub).o(op.eq, op.select).set(E);
      c.ldAt(ax, W).ldAt(u, W).o(op.fmul, op.fadd).ldAt(ax, q).ldAt(u, E).o(op.fmul, op.fadd);
    }
    c.ldAt(tinv, q).o(op.fmul).st();
  });
  c.get(ax).i32(8).o(op.sub).set(axm).get(u).i32(8).o(op.sub).set(um);
  c.get(ay).get(w).o(op.sub).set(ays).get(u).get(w).o(op.sub).set(us);
  c.get(w).set(row);
  c.forLt(row, n8, `L${w}`, (c) => {
    // The seam line's cell.
    c.get(row).get(iB).o(op.add).set(q).get(row).get(iwB).o(op.add).set(W).get(row).get(ieB).o(op.add).set(E);
    c.get(u).get(q).o(op.add);
    c.ldAt(b, q);
    if (!fromZero) c.ldAt(ax, W).ldAt(u, W).o(op.fmul, op.fadd).ldAt(ax, q).ldAt(u, E).o(op.fmul, op.fadd);
    c.ldAt(ays, q).ldAt(us, q).o(op.fmul, op.fadd);
    c.ldAt(tinv, q).o(op.fmul).st();
    // The others.
    c.get(row).get(lo).o(op.add).set(q).get(row).get(hi).o(op.add).set(qEnd);
    c.forLt(q, qEnd, 16, (c) => {
      c.get(u).get(q).o(op.add); // the store's address
      c.ldAt(b, q);
      if (!fromZero) {
        c.ldAt(axm, q).ldAt(um, q).o(op.fmul, op.fadd);
        c.ldAt(ax, q).ldAt(u, q, 8).o(op.fmul, op.fadd);
      }
      c.ldAt(ays, q).ldAt(us, q).o(op.fmul, op.fadd);
      c.ldAt(tinv, q).o(op.fmul).st();
    });
  });
  return { name: fromZero ? "fwd0" : "fwd", params: Array(13).fill(I32), results: [], locals: Array(9).fill(I32), code: c };
}

/** bwd(u, tc, row, stride, first, width): rows row, row - stride, ... >= 0, cells row + first, + 16, ... < row + width: u[P] -= tc[P] u[P+nx]. */
function bwd(): Fn {
  const [u, tc, row, stride, first, width] = [0, 1, 2, 3, 4, 5];
  const [p, pEnd, un] = [6, 7, 8];
  const c = new Code();
  c.get(u).get(stride).o(op.add).set(un);
  c.forDown(row, stride, (c) => {
    c.get(row).get(first).o(op.add).set(p).get(row).get(width).o(op.add).set(pEnd);
    c.forLt(p, pEnd, 16, (c) => {
      c.get(u).get(p).o(op.add);
      c.ldAt(u, p).ldAt(tc, p).ldAt(un, p).o(op.fmul, op.fsub).st();
    });
  });
  return { name: "bwd", params: Array(6).fill(I32), results: [], locals: Array(3).fill(I32), code: c };
}

/**
 * au = e[P] up + ax[W] (up - v[W]) + ax[P] (up - v[E]) + ay[P-nx] (up - v[P-nx]) + ay[P] (up - v[P+nx]) on the stack
 * (kApply's sum on a row with rows below and above), with up in local `up`, byte offsets in locals.
 */
function cellAu(c: Code, e: number, ax: number, ay: number, v: number, P: number, W: number, E: number, stride: number, up: number): void {
  c.ldAt(e, P).get(up).o(op.fmul);
  c.ldAt(ax, W).get(up).ldAt(v, W).o(op.fsub, op.fmul, op.fadd);
  c.ldAt(ax, P).get(up).ldAt(v, E).o(op.fsub, op.fmul, op.fadd);
  c.get(ay).get(P).o(op.add).get(stride).o(op.sub).ld().get(up).get(v).get(P).o(op.add).get(stride).o(op.sub).ld().o(op.fsub, op.fmul, op.fadd);
  c.ldAt(ay, P).get(up).get(v).get(P).o(op.add).get(stride).o(op.add).ld().o(op.fsub, op.fmul, op.fadd);
}

/**
 * restrict(ax, ay, e, u, b, cb, fnx, cnx, j0, j1): levelOps.ts restrictResidual on fine rows j0 <= j < j1, none
 * of them the bottom or the top row, of a level that coarsens by 2 in x and y (fnx >= 4): each cell's residual,
 * then its four additions into cb (weights 9/16, 3/16, 3/16, 1/16), cells in order: the seam pair (0, 1), the
 * pairs between, the seam pair (fnx - 2, fnx - 1).
 */
function restrict(): Fn {
  const [ax, ay, e, u, b, cb, fnx, cnx, j, j1] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  const [w, row, P, W, E, Ib, I2b, cJ, cJ2, jh, pEnd, cw] = [10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21];
  const [up, r] = [22, 23];
  const [axm, um, ays, us, un, upv, rv] = [24, 25, 26, 27, 28, 29, 30];
  const c = new Code();
  /** The cell at P (neighbours W, E; coarse columns Ib, I2b, in bytes). */
  const cell = () => {
    c.ldAt(u, P).set(up);
    c.ldAt(b, P);
    cellAu(c, e, ax, ay, u, P, W, E, w, up);
    c.o(op.fsub).set(r);
    scatter();
  };
  /** The residual r's four additions into the coarse cells. */
  function scatter(): void {
    for (const [base, Ix, wt] of [[cJ, Ib, 0.5625], [cJ2, Ib, 0.1875], [cJ, I2b, 0.1875], [cJ2, I2b, 0.0625]] as const) {
      c.get(base).get(Ix).o(op.add).get(base).get(Ix).o(op.add).ld().f64(wt).get(r).o(op.fmul, op.fadd).st();
    }
  }
  c.get(fnx).i32(3).o(op.shl).set(w).get(cnx).i32(3).o(op.shl).set(cw);
  c.get(ax).i32(8).o(op.sub).set(axm).get(u).i32(8).o(op.sub).set(um);
  c.get(ay).get(w).o(op.sub).set(ays).get(u).get(w).o(op.sub).set(us).get(u).get(w).o(op.add).set(un);
  c.forLt(j, j1, 1, (c) => {
    c.get(j).get(w).o(op.mul).set(row);
    // J = j >> 1, J2 = j & 1 ? J + 1 : J - 1 (never off the level on these rows); their rows in cb, in bytes.
    c.get(j).i32(1).o(op.shrS).tee(jh).get(cw).o(op.mul).get(cb).o(op.add).set(cJ);
    c.get(jh).i32(1).o(op.add).get(jh).i32(1).o(op.sub).get(j).i32(1).o(op.and, op.select).get(cw).o(op.mul).get(cb).o(op.add).set(cJ2);
    // i = 0: W across the seam, I = 0, I2 = cnx - 1; i = 1: I = 0, I2 = 1.
    c.get(row).tee(P).get(w).o(op.add).i32(8).o(op.sub).set(W).get(P).i32(8).o(op.add).set(E);
    c.i32(0).set(Ib).get(cw).i32(8).o(op.sub).set(I2b);
    cell();
    c.get(row).i32(8).o(op.add).tee(P).i32(8).o(op.sub).set(W).get(P).i32(8).o(op.add).set(E).i32(8).set(I2b);
    cell();
    // Pairs I = 1 .. cnx - 2: cells 2I (I2 = I - 1) and 2I + 1 (I2 = I + 1).
    c.get(row).i32(16).o(op.add).set(P).get(row).get(w).o(op.add).i32(16).o(op.sub).set(pEnd).i32(8).set(Ib);
    c.forLt(P, pEnd, 16, (c) => {
      // Both cells' residuals in SIMD lanes, then their additions one by one, 2I's first.
      c.ldvAt(u, P).set(upv);
      c.ldvAt(b, P);
      c.ldvAt(e, P).get(upv).vmul();
      c.ldvAt(axm, P).get(upv).ldvAt(um, P).vsub().vmul().vadd();
      c.ldvAt(ax, P).get(upv).ldvAt(u, P, 8).vsub().vmul().vadd();
      c.ldvAt(ays, P).get(upv).ldvAt(us, P).vsub().vmul().vadd();
      c.ldvAt(ay, P).get(upv).ldvAt(un, P).vsub().vmul().vadd();
      c.vsub().set(rv);
      for (const lane of [0, 1]) {
        c.get(rv).lane(lane).set(r);
        c.get(Ib).i32(8).o(lane === 0 ? op.sub : op.add).set(I2b);
        scatter();
      }
      c.get(Ib).i32(8).o(op.add).set(Ib);
    });
    // i = fnx - 2: I = cnx - 1, I2 = cnx - 2; i = fnx - 1: E across the seam, I2 = 0.
    c.get(row).get(w).o(op.add).i32(16).o(op.sub).tee(P).i32(8).o(op.sub).set(W).get(P).i32(8).o(op.add).set(E);
    c.get(cw).i32(8).o(op.sub).tee(Ib).i32(8).o(op.sub).set(I2b);
    cell();
    c.get(P).i32(8).o(op.add).tee(P).i32(8).o(op.sub).set(W).get(row).set(E).i32(0).set(I2b);
    cell();
  });
  return {
    name: "restrict", params: Array(10).fill(I32), results: [], locals: [...Array(12).fill(I32), F64, F64, ...Array(5).fill(I32), V128, V128], code: c,
  };
}

/**
 * apply(ax, ay, e, v, out, nx, j0, j1, dot): out = A v on rows j0 <= j < j1 (none the bottom or the top row; nx >=
 * 3), cells in order, returning dot + the sum of v out over them in that order (levelOps.ts applyDot).
 */
function apply(): Fn {
  const [ax, ay, e, v, out, nx, j, j1, dot] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
  const [w, row, P, W, E, pEnd] = [9, 10, 11, 12, 13, 14];
  const [up, au] = [15, 16];
  const [axm, vm, ays, vs, vn, upv, auv, prod] = [17, 18, 19, 20, 21, 22, 23, 24];
  const c = new Code();
  const cell = () => {
    c.ldAt(v, P).set(up);
    c.get(out).get(P).o(op.add);
    cellAu(c, e, ax, ay, v, P, W, E, w, up);
    c.tee(au).st();
    c.get(dot).get(up).get(au).o(op.fmul, op.fadd).set(dot);
  };
  c.get(nx).i32(3).o(op.shl).set(w);
  c.get(ax).i32(8).o(op.sub).set(axm).get(v).i32(8).o(op.sub).set(vm);
  c.get(ay).get(w).o(op.sub).set(ays).get(v).get(w).o(op.sub).set(vs).get(v).get(w).o(op.add).set(vn);
  c.forLt(j, j1, 1, (c) => {
    c.get(j).get(w).o(op.mul).tee(row).tee(P).get(w).o(op.add).i32(8).o(op.sub).set(W).get(P).i32(8).o(op.add).set(E);
    cell();
    // Cells 1 .. nx - 2 (nx even: pairs), two at a time in SIMD lanes; the dot product's additions one by one.
    c.get(row).i32(8).o(op.add).set(P).get(row).get(w).o(op.add).i32(8).o(op.sub).set(pEnd);
    c.forLt(P, pEnd, 16, (c) => {
      c.ldvAt(v, P).set(upv);
      c.get(out).get(P).o(op.add);
      c.ldvAt(e, P).get(upv).vmul();
      c.ldvAt(axm, P).get(upv).ldvAt(vm, P).vsub().vmul().vadd();
      c.ldvAt(ax, P).get(upv).ldvAt(v, P, 8).vsub().vmul().vadd();
      c.ldvAt(ays, P).get(upv).ldvAt(vs, P).vsub().vmul().vadd();
      c.ldvAt(ay, P).get(upv).ldvAt(vn, P).vsub().vmul().vadd();
      c.tee(auv).stv();
      c.get(upv).get(auv).vmul().set(prod);
      c.get(dot).get(prod).lane(0).o(op.fadd).get(prod).lane(1).o(op.fadd).set(dot);
    });
    c.get(pEnd).tee(P).i32(8).o(op.sub).set(W).get(row).set(E);
    cell();
  });
  c.get(dot);
  return {
    name: "apply", params: [...Array(8).fill(I32), F64], results: [F64], locals: [...Array(6).fill(I32), F64, F64, ...Array(5).fill(I32), V128, V128, V128], code: c,
  };
}

/**
 * resid(b, ap, r, n8): CG's first residual r = b - A x (A x in ap); returns sum r^2, stores sum r at byte 8 and
 * sum b^2 at byte 16 (multigrid.ts solve).
 */
function resid(): Fn {
  const [b, ap, r, n8] = [0, 1, 2, 3];
  const [k, bk, rk, bn, rn, rs] = [4, 5, 6, 7, 8, 9];
  const c = new Code();
  c.forLt(k, n8, 8, (c) => {
    c.ldAt(b, k).set(bk);
    c.get(r).get(k).o(op.add).get(bk).ldAt(ap, k).o(op.fsub).tee(rk).st();
    c.get(bn).get(bk).get(bk).o(op.fmul, op.fadd).set(bn);
    c.get(rn).get(rk).get(rk).o(op.fmul, op.fadd).set(rn);
    c.get(rs).get(rk).o(op.fadd).set(rs);
  });
  c.i32(8).get(rs).st().i32(16).get(bn).st();
  c.get(rn);
  return { name: "resid", params: [I32, I32, I32, I32], results: [F64], locals: [I32, F64, F64, F64, F64, F64], code: c };
}

/** coarsen(fax, fay, fe, cax, cay, ce, fnx, cnx, cny): kernels.ts kCoarsen on every coarse row. */
function coarsen(): Fn {
  const [fax, fay, fe, cax, cay, ce, fnx, cnx, cny] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
  const [C, cEnd, F0, F1, fw, J, rowEnd] = [9, 10, 11, 12, 13, 14, 15];
  const c = new Code();
  c.get(fnx).i32(3).o(op.shl).set(fw);
  c.forLt(J, cny, 1, (c) => {
    c.get(J).get(cnx).o(op.mul).i32(3).o(op.shl).tee(C).get(cnx).i32(3).o(op.shl).o(op.add).set(rowEnd);
    c.get(J).i32(1).o(op.shl).get(fw).o(op.mul).tee(F0).get(fw).o(op.add).set(F1);
    c.get(rowEnd).set(cEnd);
    c.forLt(C, cEnd, 8, (c) => {
      c.get(cax).get(C).o(op.add).ldAt(fax, F0, 8).ldAt(fax, F1, 8).o(op.fadd).f64(2).o(op.fdiv).st();
      c.get(cay).get(C).o(op.add).ldAt(fay, F1).ldAt(fay, F1, 8).o(op.fadd).f64(2).o(op.fdiv).st();
      c.get(ce).get(C).o(op.add).ldAt(fe, F0).ldAt(fe, F0, 8).o(op.fadd).ldAt(fe, F1).o(op.fadd).ldAt(fe, F1, 8).o(op.fadd).st();
      c.get(F0).i32(16).o(op.add).set(F0).get(F1).i32(16).o(op.add).set(F1);
    });
  });
  return { name: "coarsen", params: Array(9).fill(I32), results: [], locals: Array(7).fill(I32), code: c };
}

/** dot(a, b, n8): the sum of a[k] b[k], k in order (the products two at a time in SIMD lanes; n8 a multiple of 16). */
function dot(): Fn {
  const [a, b, n8] = [0, 1, 2];
  const [k, s, pr] = [3, 4, 5];
  const c = new Code();
  c.forLt(k, n8, 16, (c) => {
    c.ldvAt(a, k).ldvAt(b, k).vmul().set(pr);
    c.get(s).get(pr).lane(0).o(op.fadd).get(pr).lane(1).o(op.fadd).set(s);
  });
  c.get(s);
  return { name: "dot", params: [I32, I32, I32], results: [F64], locals: [I32, F64, V128], code: c };
}

/** direction(p, z, beta, n8): p = z + beta p (two cells at a time; n8 a multiple of 16). */
function direction(): Fn {
  const [p, z, beta, n8] = [0, 1, 2, 3];
  const [k, bv] = [4, 5];
  const c = new Code();
  c.get(beta).b.push(0xfd, 0x14); // f64x2.splat
  c.set(bv);
  c.forLt(k, n8, 16, (c) => { c.get(p).get(k).o(op.add).ldvAt(z, k).get(bv).ldvAt(p, k).vmul().vadd().stv(); });
  return { name: "direction", params: [I32, I32, F64, I32], results: [], locals: [I32, V128], code: c };
}

/**
 * step(x, r, p, ap, alpha, n8): x += alpha p, r = r - alpha ap (two cells at a time; n8 a multiple of 16); returns
 * sum r^2 and stores sum r at byte 8, each summed cell by cell in order.
 */
function step(): Fn {
  const [x, r, p, ap, alpha, n8] = [0, 1, 2, 3, 4, 5];
  const [k, rk, rn, rs, av, rv] = [6, 7, 8, 9, 10, 11];
  const c = new Code();
  c.get(alpha).b.push(0xfd, 0x14);
  c.set(av);
  c.forLt(k, n8, 16, (c) => {
    c.get(x).get(k).o(op.add).ldvAt(x, k).get(av).ldvAt(p, k).vmul().vadd().stv();
    c.get(r).get(k).o(op.add).ldvAt(r, k).get(av).ldvAt(ap, k).vmul().vsub().tee(rv).stv();
    for (const lane of [0, 1]) {
      c.get(rv).lane(lane).set(rk);
      c.get(rn).get(rk).get(rk).o(op.fmul, op.fadd).set(rn);
      c.get(rs).get(rk).o(op.fadd).set(rs);
    }
  });
  c.i32(8).get(rs).st();
  c.get(rn);
  return { name: "step", params: [I32, I32, I32, I32, F64, I32], results: [F64], locals: [I32, F64, F64, F64, V128, V128], code: c };
}

/**
 * prolong(fu, cu, fnx, cnx, j0, j1): levelOps.ts prolongAdd on the even columns of fine rows j0 <= j < j1 (none the
 * bottom or the top row) of a level that coarsens by 2 in x and y: fu[P] += 9/16 cu[J,I] + 3/16 cu[J2,I] +
 * 3/16 cu[J,I2] + 1/16 cu[J2,I2], I = i / 2, I2 = I - 1 (cnx - 1 for I = 0).
 */
function prolong(): Fn {
  const [fu, cu, fnx, cnx, j, j1] = [0, 1, 2, 3, 4, 5];
  const [P, pEnd, I, cw, jh, cJ, cJ2, I2] = [6, 7, 8, 9, 10, 11, 12, 13];
  const c = new Code();
  c.get(cnx).i32(3).o(op.shl).set(cw);
  c.forLt(j, j1, 1, (c) => {
    c.get(j).get(fnx).o(op.mul).i32(3).o(op.shl).get(fu).o(op.add).tee(P).get(fnx).i32(3).o(op.shl).o(op.add).set(pEnd);
    c.get(j).i32(1).o(op.shrS).tee(jh).get(cw).o(op.mul).get(cu).o(op.add).set(cJ);
    c.get(jh).i32(1).o(op.add).get(jh).i32(1).o(op.sub).get(j).i32(1).o(op.and, op.select).get(cw).o(op.mul).get(cu).o(op.add).set(cJ2);
    c.i32(0).set(I);
    c.forLt(P, pEnd, 16, (c) => {
      // I2 (bytes) = I == 0 ? cw - 8 : I - 8
      c.get(cw).i32(8).o(op.sub).get(I).i32(8).o(op.sub).get(I).o(op.eqz, op.select).set(I2);
      c.get(P).get(P).ld();
      c.f64(0.5625).ldAt(cJ, I).o(op.fmul);
      c.f64(0.1875).ldAt(cJ2, I).o(op.fmul, op.fadd);
      c.f64(0.1875).ldAt(cJ, I2).o(op.fmul, op.fadd);
      c.f64(0.0625).ldAt(cJ2, I2).o(op.fmul, op.fadd);
      c.o(op.fadd).st();
      c.get(I).i32(8).o(op.add).set(I);
    });
  });
  return { name: "prolong", params: Array(6).fill(I32), results: [], locals: Array(8).fill(I32), code: c };
}

/**
 * factor(ax, ay, e, tc, tinv, nx, ny): kernels.ts kFactor on every column: the y-lines' super-diagonal ratio and
 * 1 / pivot, row by row.
 */
function factor(): Fn {
  const [ax, ay, e, tc, tinv, nx, ny] = [0, 1, 2, 3, 4, 5, 6];
  const [w, row, last, end, P, pEnd, W, as, inv] = [7, 8, 9, 10, 11, 12, 13, 14, 15];
  const c = new Code();
  c.get(nx).i32(3).o(op.shl).set(w);
  c.get(ny).i32(1).o(op.sub).get(w).o(op.mul).set(last);
  c.get(ny).get(w).o(op.mul).set(end);
  // Row 0: diag = e + ax[W] + ax[P] + 0 + ay[P]; inv = 1 / (diag + 0); tc = ny > 1 ? -ay inv : 0.
  c.i32(0).set(P).get(w).set(pEnd);
  c.forLt(P, pEnd, 8, (c) => {
    c.get(w).i32(8).o(op.sub).get(P).i32(8).o(op.sub).get(P).o(op.eqz, op.select).set(W);
    c.get(tinv).get(P).o(op.add);
    c.f64(1).ldAt(e, P).ldAt(ax, W).o(op.fadd).ldAt(ax, P).o(op.fadd).f64(0).o(op.fadd).ldAt(ay, P).o(op.fadd).f64(0).o(op.fadd, op.fdiv);
    c.tee(inv).st();
    c.get(tc).get(P).o(op.add).ldAt(ay, P).o(op.fneg).get(inv).o(op.fmul).f64(0).get(ny).i32(1).o(op.gtS, op.select).st();
  });
  c.get(w).set(row);
  c.forLt(row, end, `L${w}`, (c) => {
    c.get(row).set(P).get(row).get(w).o(op.add).set(pEnd);
    c.forLt(P, pEnd, 8, (c) => {
      c.get(row).get(w).o(op.add).i32(8).o(op.sub).get(P).i32(8).o(op.sub).get(P).get(row).o(op.eq, op.select).set(W);
      c.get(ay).get(P).o(op.add).get(w).o(op.sub).ld().set(as);
      c.get(tinv).get(P).o(op.add);
      c.f64(1).ldAt(e, P).ldAt(ax, W).o(op.fadd).ldAt(ax, P).o(op.fadd).get(as).o(op.fadd).ldAt(ay, P).o(op.fadd);
      c.get(as).get(tc).get(P).o(op.add).get(w).o(op.sub).ld().o(op.fmul, op.fadd, op.fdiv);
      c.tee(inv).st();
      c.get(tc).get(P).o(op.add).ldAt(ay, P).o(op.fneg).get(inv).o(op.fmul).f64(0).get(row).get(last).o(op.ltS, op.select).st();
    });
  });
  return { name: "factor", params: Array(7).fill(I32), results: [], locals: [...Array(7).fill(I32), F64, F64], code: c };
}

/**
 * smooth(b, ax, ay, u, tinv, tc, nx, ny, sweeps, reverse, fromZero): smoother.ts smooth on a level of even width,
 * each half-sweep by fwd / fwd0 and bwd (functions 0, 1, 2): the colours 0 then 1 (1 then 0 with reverse), the
 * first half-sweep from zero with fromZero.
 */
function smoothFn(): Fn {
  const [b, ax, ay, u, tinv, tc, nx, ny, sweeps, reverse, fromZero] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
  const [sw, h, color, w, n8, iB, iwB, ieB, lo, hi, first, two] = [11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22];
  const c = new Code();
  c.get(nx).i32(3).o(op.shl).tee(w).get(ny).o(op.mul).set(n8).i32(2).set(two);
  c.forLt(sw, sweeps, 1, (c) => {
    c.i32(0).set(h);
    c.forLt(h, two, 1, (c) => {
      c.get(h).get(reverse).o(op.xor).tee(color).i32(3).o(op.shl).set(first);
      // colour 0: seam line 0 (neighbours nx - 1, 1), the others 2 .. nx - 2; colour 1: nx - 1 (nx - 2, 0), 1 .. nx - 3.
      c.get(w).i32(8).o(op.sub).i32(0).get(color).o(op.select).set(iB);
      c.get(w).i32(16).o(op.sub).get(w).i32(8).o(op.sub).get(color).o(op.select).set(iwB);
      c.i32(0).i32(8).get(color).o(op.select).set(ieB);
      c.i32(8).i32(16).get(color).o(op.select).set(lo);
      c.get(w).i32(8).o(op.sub).get(w).get(color).o(op.select).set(hi);
      const args = () => { for (const l of [b, ax, ay, u, tinv, w, n8, iB, iwB, ieB, lo, hi, first]) c.get(l); };
      // From zero: the first half-sweep of the first sweep only (if: call fwd0, else: call fwd).
      c.get(fromZero).get(sw).o(op.eqz, op.and).get(h).o(op.eqz, op.and);
      c.o(0x04, 0x40);
      args();
      c.o(0x10, 1, 0x05);
      args();
      c.o(0x10, 0, op.end);
      c.get(ny).i32(1).o(op.gtS);
      c.o(0x04, 0x40);
      c.get(u).get(tc).get(w).get(ny).i32(2).o(op.sub, op.mul).get(w).get(first).get(w).o(0x10, 2);
      c.o(op.end);
    });
  });
  return { name: "smooth", params: Array(11).fill(I32), results: [], locals: Array(12).fill(I32), code: c };
}

export interface WasmKernels {
  prolong(fu: number, cu: number, fnx: number, cnx: number, j0: number, j1: number): void;
  factor(ax: number, ay: number, e: number, tc: number, tinv: number, nx: number, ny: number): void;
  resid(b: number, ap: number, r: number, n8: number): number;
  smooth(b: number, ax: number, ay: number, u: number, tinv: number, tc: number, nx: number, ny: number, sweeps: number, reverse: number, fromZero: number): void;
  coarsen(fax: number, fay: number, fe: number, cax: number, cay: number, ce: number, fnx: number, cnx: number, cny: number): void;
  fwd(b: number, ax: number, ay: number, u: number, tinv: number, w: number, n8: number, iB: number, iwB: number, ieB: number, lo: number, hi: number, first: number): void;
  fwd0(b: number, ax: number, ay: number, u: number, tinv: number, w: number, n8: number, iB: number, iwB: number, ieB: number, lo: number, hi: number, first: number): void;
  bwd(u: number, tc: number, row: number, stride: number, first: number, width: number): void;
  restrict(ax: number, ay: number, e: number, u: number, b: number, cb: number, fnx: number, cnx: number, j0: number, j1: number): void;
  apply(ax: number, ay: number, e: number, v: number, out: number, nx: number, j0: number, j1: number, dot: number): number;
  dot(a: number, b: number, n8: number): number;
  direction(p: number, z: number, beta: number, n8: number): void;
  step(x: number, r: number, p: number, ap: number, alpha: number, n8: number): number;
}

let compiled: WebAssembly.Module | null | undefined;

/** The module's bytes (tests). */
export function kernelBytes(): Uint8Array {
  return moduleBytes([fwd(false), fwd(true), bwd(), restrict(), apply(), dot(), direction(), step(), prolong(), factor(), resid(), coarsen(), smoothFn()]);
}

/** Whether the kernels are used by default: Node, where WebAssembly compiles (the module compiled once). */
export function wasmAvailable(): boolean {
  if (compiled === undefined) {
    compiled = null;
    const g = globalThis as { process?: { versions?: { node?: string } }; WebAssembly?: unknown };
    if (g.process?.versions?.node && typeof g.WebAssembly === "object") {
      try { compiled = new WebAssembly.Module(kernelBytes() as BufferSource); } catch { compiled = null; }
    }
  }
  return compiled !== null;
}

/** A memory of at least `bytes` (the first 64 bytes the kernels' scratch) and the kernels on it. */
export function wasmInstance(bytes: number): { memory: WebAssembly.Memory; k: WasmKernels } {
  if (!wasmAvailable()) throw new Error("wasm kernels: WebAssembly is not available here");
  const memory = new WebAssembly.Memory({ initial: Math.ceil(bytes / 65536) });
  const inst = new WebAssembly.Instance(compiled!, { m: { mem: memory } });
  return { memory, k: inst.exports as unknown as WasmKernels };
}

/**
 * The CPU step's loops over cells (solver.ts), each a function of its own with nothing after its loop but the
 * return: V8 compiles a long loop on the fly (on-stack replacement) before the code after it has ever run, and
 * such code, kept for the next step, stops (deoptimises) where that code starts. With the loops together in one
 * method, the loops after that point ran unoptimised every step (at 256^2: 3 deoptimisations a step, and their
 * doubles boxed on the heap); here it costs only the return.
 */
import { NF } from "./numerics.ts";
import type { CpuSolver } from "./solver.ts";

/** phi_b's system (operator diagonal e and right side b = q'), its warm start in pu; returns sum q'. */
export function phiBSystem(
  n: number, f: number, alphaC: number, alphaA: number, alphaHrel: number, qToPhi: number, eC: number, eA: number, eH: number, extrapolate: boolean,
  wCath: Float64Array, wAnod: Float64Array, wHer: Float64Array, dqA: Float64Array, e: Float64Array, b: Float64Array,
  pu: Float64Array, phiB: Float32Array, phiBPrev: Float32Array,
): number {
  let sumDq = 0;
  for (let P = 0; P < n; P++) {
    const cat = wCath[P]! * eC, an = wAnod[P]! * eA, h = wHer[P]! * eH;
    const dq = f * (alphaC * cat + alphaA * an + alphaHrel * h);
    dqA[P] = dq;
    sumDq += dq;
    e[P] = qToPhi * dq;
    b[P] = qToPhi * dq;
    pu[P] = extrapolate ? 2 * phiB[P]! - phiBPrev[P]! : phiB[P]!; // warmStart, written out (below too)
  }
  return sumDq;
}

/** phi_a's right side b = -(q - q' phi^n) (scaled) and its warm start in pu. */
export function phiASystem(
  n: number, is1d: boolean, qAc: number, qToPhi: number, eC: number, eA: number, eH: number, extrapolate: boolean, wCath: Float64Array,
  wAnod: Float64Array, wHer: Float64Array, rAc: Float64Array, dqA: Float64Array, phi: Float32Array, phiPrev: Float32Array,
  b: Float64Array, pu: Float64Array,
): void {
  for (let P = 0; P < n; P++) {
    const cat = wCath[P]! * eC, an = wAnod[P]! * eA, h = wHer[P]! * eH;
    const q = (is1d ? 0 : qAc * rAc[P]!) + cat - an + h;
    b[P] = -qToPhi * (q - dqA[P]! * phi[P]!);
    pu[P] = extrapolate ? 2 * phi[P]! - phiPrev[P]! : phi[P]!;
  }
}

/** sum q' (phi_a - phi^n): the shift of E_m's numerator. */
export function shiftNumerator(n: number, dqA: Float64Array, pu: Float64Array, phi: Float32Array): number {
  let num = 0;
  for (let P = 0; P < n; P++) num += dqA[P]! * (pu[P]! - phi[P]!);
  return num;
}

/** sum q' (1 - phi_b): its denominator. */
export function shiftDenominator(n: number, dqA: Float64Array, phiB: Float32Array): number {
  let den = 0;
  for (let P = 0; P < n; P++) den += dqA[P]! * (1 - phiB[P]!);
  return den;
}

/** phi = phi_a + dE phi_b. */
export function superpose(n: number, phi: Float32Array, pu: Float64Array, phiB: Float32Array, dE: number): void {
  for (let P = 0; P < n; P++) phi[P] = pu[P]! + dE * phiB[P]!;
}

/**
 * The phase field's explicit update and the Zn sink into the concentration's right side cb, at the corrector's
 * kinetics (eC, eA, eH: its exponentials at u = f E_m); out: [Zn deposited (scaled), Zn current, HER current (A/m per unit depth, summed over cells), cell 0's
 * volume current].
 */
export function phaseLoop(
  s: CpuSolver, supply: (s: CpuSolver, P: number) => number, n: number, eC: number, eA: number, eH: number, is1d: boolean, qAc: number,
  dt: number, dA: number, cb: Float64Array, out: Float64Array,
): void {
  const { wCath, wAnod, wHer, rAc, xi, qZnCell, qHCell, xiFloor } = s;
  const cOld = s.c;
  const { c0, vmOverNF } = s.co;
  const nf = NF, nfc0 = NF * c0;
  let dep = 0, iZn = 0, iH = 0, q0 = 0;
  for (let P = 0; P < n; P++) {
    let qBV = wCath[P]! * eC - wAnod[P]! * eA; // A/m3
    let qH = wHer[P]! * eH;
    // Plating is explicit in c: past the limiting current a cell could plate more Zn2+ in a step than it holds
    // plus all that diffusion can bring it, and c would go negative and oscillate. That excess goes to hydrogen
    // instead, as it does at a depleted electrode (Zn and charge stay conserved). (The supply is never negative:
    // it is looked up only where there is plating.)
    if (qBV > 0) {
      const qMax = (supply(s, P) * nf * c0) / dt;
      if (qBV > qMax) { qH += qBV - qMax; qBV = qMax; }
    }
    let qZn: number;
    if (is1d) {
      qZn = qBV;
    } else {
      let dxi = dt * (rAc[P]! + vmOverNF * qBV);
      // A cell strips no more metal than it has (above a copper substrate's own): the rest of the current is not drawn.
      const floor = xiFloor ? xiFloor[P]! : 0;
      if (dxi < 0 && xi[P]! + dxi < floor) dxi = Math.min(0, floor - xi[P]!);
      xi[P] = xi[P]! + dxi;
      qZn = (qAc * dxi) / dt;
    }
    qZnCell[P] = qZn;
    qHCell[P] = qH;
    if (P === 0) q0 = qZn + qH;
    const sink = (qZn * dt) / nfc0;
    dep += sink;
    iZn += qZn * dA;
    iH += qH * dA;
    cb[P] = cOld[P]! - sink;
  }
  out[0] = dep; out[1] = iZn; out[2] = iH; out[3] = q0;
}

/** Migration t+ j/(nF) into the concentration's right side cb (explicit); returns what comes in at the top. */
export function migrate(
  nx: number, ny: number, M: number, pax: Float64Array, pay: Float64Array, cay: Float64Array, tp: Float64Array,
  phi: Float32Array, cb: Float64Array,
): number {
  let topIn = 0;
  for (let j = 0; j < ny; j++) {
    for (let i = 0; i < nx; i++) {
      const P = j * nx + i;
      const E = j * nx + (i === nx - 1 ? 0 : i + 1);
      const ex = pax[P]! * 0.5 * (tp[P]! + tp[E]!) * (phi[E]! - phi[P]!);
      cb[P] += M * ex;
      cb[E] -= M * ex;
      if (j < ny - 1) {
        const N = P + nx;
        const ny_ = pay[P]! * 0.5 * (tp[P]! + tp[N]!) * (phi[N]! - phi[P]!);
        cb[P] += M * ny_;
        cb[N] -= M * ny_;
      } else {
        const mig = M * pay[P]! * tp[P]! * (0 - phi[P]!);
        cb[P] += mig + cay[P]! * 1;
        topIn += mig;
      }
    }
  }
  return topIn;
}

/** c's warm start: 2 c^n - c^(n-1) (warmStart, written out). */
export function extrapolateC(n: number, cu: Float64Array, cOld: Float64Array, cPrev: Float64Array): void {
  for (let P = 0; P < n; P++) cu[P] = 2 * cOld[P]! - cPrev[P]!;
}

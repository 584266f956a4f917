/**
 * Water's acid-base equilibrium (docs/MODEL.md, "pH"): the alkalinity w = [OH-] - [H+] (mol/m3), which the pH field
 * carries, and the pH it means. Pure: the CPU solver (src/reference/alkalinity.ts) and the GPU engine share it.
 */

/** Water's ion product at 25 C, (mol/m3)^2: 1e-14 (mol/L)^2. */
export const KW_MOL2_M6 = 1e-8;

/** The alkalinity (mol/m3) of a solution at `pH`. */
export const alkalinityOf = (pH: number): number => {
  const h = 10 ** -pH * 1000;
  return KW_MOL2_M6 / h - h;
};

/** [OH-] (mol/m3) of alkalinity w (mol/m3): from [OH-] - K_w / [OH-] = w, without cancellation on either side. */
export function hydroxideOf(w: number): number {
  const r = Math.sqrt(w * w + 4 * KW_MOL2_M6);
  return w >= 0 ? 0.5 * (w + r) : (2 * KW_MOL2_M6) / (r - w);
}

/** The pH of alkalinity w (mol/m3). */
export const pHOf = (w: number): number => 14 + Math.log10(hydroxideOf(w) / 1000);


/** Physical constants (SI, CODATA 2018) and properties of Zn metal. */
export const FARADAY = 96485.33212; // C/mol
export const GAS_R = 8.314462618; // J/(mol K)
export const TEMPERATURE = 298.15; // K
export const N_ZN = 2; // electrons per Zn2+
/** Molar volume of Zn metal: M / rho = 65.38e-3 kg/mol / 7140 kg/m3. */
export const ZN_MOLAR_VOLUME = 65.38e-3 / 7140; // m3/mol
/** Zn site density c_s = 1 / V_m. */
export const ZN_SITE_DENSITY = 1 / ZN_MOLAR_VOLUME; // mol/m3
/** nF/RT for Zn2+/Zn. */
export const F_NRT = (N_ZN * FARADAY) / (GAS_R * TEMPERATURE); // 1/V
/** F/RT for the one-electron HER step. */
export const F_RT = FARADAY / (GAS_R * TEMPERATURE); // 1/V
/**
 * HER current of bare Zn at the Zn equilibrium potential (A/m2): its corrosion current at rest (estimate: tens of
 * uA/cm2; docs/MODEL.md "HER"). MODEL_CONSTANTS.iH0_A_m2; a rest step's foil allowance (scenario.ts) takes it too.
 */
export const I_H0_BARE_A_M2 = 0.5;
/** Diffusivity of OH- in water at 25 C, infinite dilution (m2/s): CRC Handbook of Chemistry and Physics, "Ionic conductivity and diffusion at infinite dilution". */
export const D_OH_M2_S = 5.27e-9;
/**
 * pH of 2 M ZnSO4 (the default electrolyte's): Zn(H2O)6 2+ is a weak acid of pKa 8.96, so pH = (pKa - log10 c) / 2 =
 * 4.33 at 2 M (ideal solution; chim.lu, "pH of acids, bases and salts", exercise 7, takes the same pKa); measured
 * ZnSO4 electrolytes are mildly acidic, pH about 4-5 (Yuan et al., Energy Environ. Sci. 2025, d5ee00485c).
 */
export const PH_2M_ZNSO4 = 4.3;

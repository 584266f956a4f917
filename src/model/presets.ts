/**
 * The 26 coating presets, one per id in PRESET_IDS (same order). Pure data; no DOM, no GPU.
 *
 * Every number is in the display unit of params.ts (nm, mS/cm, mV, eV, GPa, J/m2, s, 1/s).
 * A number the review reports carries `cite`; any other number is an `estimate` with one sentence of
 * physical reasoning. Only the numbers docs/MODEL.md lists under "Presets" are cited.
 */
import { COATING_PARAMS } from "./params.ts";
import type { CoatingKey, CoatingValues } from "./params.ts";
import { PRESET_IDS } from "./presetTypes.ts";
import type { CitedValue, EstimatedValue, Preset, PresetValue } from "./presetTypes.ts";

const REVIEW =
  "Guo et al. 2022 review (Guiding Principles for the Design of Artificial Interface Layer for Zinc Metal Anode)";

/** A number the review reports; `what` says what it reports. */
const cite = (value: number, what: string): CitedValue => ({ value, cite: `${REVIEW}, ${what}` });
/** A number the review does not give, with its physical reasoning. */
const est = (value: number, why: string): EstimatedValue => ({ value, estimate: `estimate: ${why}` });

type Values = Record<CoatingKey, PresetValue>;

/** Fields most layers share: isotropic, elastic, non-healing, insulating, not ferroelectric, no Ecorr shift. */
const ordinary = {
  channel_anisotropy: est(1, "no oriented channels are reported, so Zn2+ transport in the layer is taken as isotropic"),
  dEcorr_mV: est(0, "the review reports no corrosion-potential shift for this layer, so none is assumed"),
  tau_s: est(1e7, "no viscoelastic relaxation is reported, so the layer is taken as elastic on the time scale of plating"),
  k_heal_1_s: est(0, "the layer is not reported to self-heal, so cracks stay open"),
  electronic: est(0, "the layer is electronically insulating, so Zn plates beneath it rather than on top"),
  ferro_gain: est(0, "the layer is not ferroelectric, so it adds no lateral field homogenisation"),
} satisfies Partial<Values>;

const inactiveBare = "inactive for bare Zn (no layer)";

export const PRESETS: readonly Preset[] = [
  {
    id: "bare",
    name: "Bare Zn",
    kind: "no coating (reference)",
    principles: [],
    summary:
      "Zn foil in 2 M ZnSO4 with no interface layer: the reference against which every coating is judged. Uneven nucleation, hexagonal tip growth and HER at the exposed metal give dendrites and hydrogen.",
    values: {
      thickness_nm: est(0, "no layer"),
      sigma_mS_cm: est(50, inactiveBare),
      t_plus: est(0.4, inactiveBare),
      channel_anisotropy: est(1, inactiveBare),
      eta_nuc_mV: est(45, "nucleation overpotential of Zn on Zn foil in 2 M ZnSO4 is reported in the tens of mV"),
      anisotropy_6fold: est(0.2, "untextured Zn grows with its full hexagonal anisotropy, favouring lateral (100)/(101) tips"),
      dG_H_eV: cite(1.0, "bare Zn H adsorption free energy dG_H* 1.00 eV"),
      water_activity: est(1, "the metal is in direct contact with the aqueous electrolyte"),
      dEcorr_mV: est(0, "bare Zn is the reference for the corrosion-potential shift"),
      E_GPa: est(1, inactiveBare),
      Gc_J_m2: est(1000, inactiveBare),
      tau_s: est(1e7, inactiveBare),
      k_heal_1_s: est(0, inactiveBare),
      electronic: est(0, inactiveBare),
      ferro_gain: est(0, inactiveBare),
    },
  },
  {
    id: "znf2",
    name: "ZnF2",
    kind: "inorganic, ion-conductive, zincophilic",
    principles: ["I", "II", "III"],
    summary:
      "A thin ZnF2 film conducts Zn2+ fast with a raised transference number, guides (002) deposition, hides Zn's H adsorption sites and is stiff enough to flatten protrusions; being a ceramic it is brittle.",
    values: {
      ...ordinary,
      thickness_nm: est(200, "fluorinated ZnF2 films made by chemical or sputtering routes are a few hundred nm thick"),
      sigma_mS_cm: cite(80.2, "ZnF2 ionic conductivity 80.2 mS/cm"),
      t_plus: cite(0.65, "ZnF2 Zn2+ transference number 0.65"),
      eta_nuc_mV: est(20, "F-rich ZnF2 is zincophilic and lowers the nucleation barrier to about half that on bare Zn"),
      anisotropy_6fold: est(0.08, "ZnF2 layers are reported to guide (002)-textured, plate-like Zn deposition"),
      dG_H_eV: cite(1.31, "ZnF2 H adsorption free energy dG_H* 1.31 eV"),
      water_activity: est(0.6, "the dense fluoride film keeps most free water and solvated Zn2+ shells away from the metal"),
      E_GPa: cite(100, "ZnF2 modulus about 100 GPa"),
      Gc_J_m2: est(5, "ZnF2 is an ionic ceramic, so like other brittle inorganic films its fracture energy is a few J/m2"),
    },
  },
  {
    id: "mmt",
    name: "Montmorillonite (MMT)",
    kind: "layered clay, cation-selective",
    principles: ["I"],
    summary:
      "Negatively charged montmorillonite lamellae exchange Zn2+ and repel sulfate, giving a high Zn2+ transference number and millisiemens conductivity, so the Zn2+ flux to the metal is fast and even.",
    values: {
      ...ordinary,
      thickness_nm: est(2000, "clay coatings are cast from a suspension as films a few micrometres thick"),
      sigma_mS_cm: cite(3.93, "MMT ionic conductivity 3.93 mS/cm"),
      t_plus: cite(0.82, "MMT Zn2+ transference number 0.82"),
      eta_nuc_mV: est(35, "the clay offers exchange sites for Zn2+ but is not reported as strongly zincophilic"),
      anisotropy_6fold: est(0.15, "the even Zn2+ flux mildly evens out growth without a strong (002) texture"),
      dG_H_eV: est(1.2, "the insulating clay covers Zn and hides part of its H adsorption sites"),
      water_activity: est(0.7, "the charged interlayer galleries partly strip the hydration shell of Zn2+"),
      E_GPa: est(10, "cast clay films with a binder are reported at about 5-20 GPa, far below a dense ceramic"),
      Gc_J_m2: est(10, "stacked clay platelets with a binder are brittle, with a fracture energy of order 10 J/m2"),
    },
  },
  {
    id: "cuhcf",
    name: "CuHCF (Prussian-blue analogue)",
    kind: "open-framework, ion-sieving, zincophilic",
    principles: ["I"],
    summary:
      "Copper hexacyanoferrate's open framework sieves solvated anions and conducts Zn2+ through its channels with a high transference number, while its zincophilic sites even out nucleation.",
    values: {
      ...ordinary,
      thickness_nm: est(3000, "framework particle coatings cast with a binder are a few micrometres thick"),
      sigma_mS_cm: cite(7.6, "CuHCF ionic conductivity 7.6 mS/cm"),
      t_plus: cite(0.74, "CuHCF Zn2+ transference number 0.74"),
      channel_anisotropy: est(1, "the cubic hexacyanoferrate framework has 3D channels, so transport is isotropic"),
      eta_nuc_mV: est(25, "the zincophilic framework lowers the nucleation barrier well below that on bare Zn"),
      anisotropy_6fold: est(0.15, "the even Zn2+ flux mildly evens out growth without a strong (002) texture"),
      dG_H_eV: est(1.2, "the insulating framework covers Zn and hides part of its H adsorption sites"),
      water_activity: est(0.6, "the narrow framework channels partly desolvate Zn2+ before it reaches the metal"),
      E_GPa: est(5, "framework-particle coatings with a binder are MOF-like, a few GPa"),
      Gc_J_m2: est(3, "crystalline framework particles are brittle, with a fracture energy of a few J/m2"),
    },
  },
  {
    id: "zns",
    name: "ZnS",
    kind: "inorganic, stiff, (002)-guiding",
    principles: ["III", "II"],
    summary:
      "A dense ZnS film made by vulcanising the Zn surface is stiff enough to suppress protrusions and shields the metal from water, guiding flat (002) deposition beneath it.",
    values: {
      ...ordinary,
      thickness_nm: est(300, "ZnS layers grown by vulcanising Zn foil are a few hundred nm thick"),
      sigma_mS_cm: est(0.5, "dense inorganic films conduct Zn2+ at about 0.01-1 mS/cm"),
      t_plus: est(0.6, "the dense sulfide lattice carries mainly Zn2+, though grain boundaries admit some electrolyte"),
      eta_nuc_mV: est(30, "ZnS shares a Zn sublattice with the metal and lowers the nucleation barrier moderately"),
      anisotropy_6fold: est(0.08, "ZnS layers are reported to favour (002)-oriented Zn deposition"),
      dG_H_eV: est(1.3, "the insulating sulfide covers Zn and hides its H adsorption sites"),
      water_activity: est(0.6, "the dense film keeps most free water away from the metal"),
      E_GPa: cite(70, "ZnS modulus 70 GPa"),
      Gc_J_m2: est(3, "ZnS is a brittle ceramic with a fracture energy of a few J/m2"),
    },
  },
  {
    id: "dlc-zns",
    name: "DLC-ZnS",
    kind: "inorganic composite, very stiff",
    principles: ["III", "II"],
    summary:
      "A diamond-like-carbon/ZnS bilayer combines a near-smoothing modulus with a dense, water-blocking surface, so protrusions are pressed flat and side reactions are slowed.",
    values: {
      ...ordinary,
      thickness_nm: est(500, "sputtered DLC on a ZnS film gives a bilayer of several hundred nm"),
      sigma_mS_cm: est(0.3, "the dense DLC/ZnS bilayer conducts Zn2+ at the low end of dense inorganic films"),
      t_plus: est(0.6, "the dense inorganic bilayer carries mainly Zn2+, though defects admit some electrolyte"),
      eta_nuc_mV: est(30, "the ZnS side lowers the nucleation barrier moderately"),
      anisotropy_6fold: est(0.08, "the ZnS interface favours (002)-oriented Zn deposition"),
      dG_H_eV: est(1.35, "the sp3-rich carbon and sulfide cover Zn and hide its H adsorption sites"),
      water_activity: est(0.5, "the dense, fairly hydrophobic DLC surface keeps water from the metal"),
      E_GPa: cite(95, "DLC-ZnS modulus 95 GPa"),
      Gc_J_m2: est(5, "DLC and ZnS are brittle, with a fracture energy of a few J/m2"),
    },
  },
  {
    id: "zn3po42",
    name: "Zn3(PO4)2",
    kind: "inorganic, stiff, zincophilic",
    principles: ["III", "I"],
    summary:
      "A zinc phosphate layer is nearly as stiff as the smoothing threshold and zincophilic, so nuclei are many and even and protrusions are suppressed.",
    values: {
      ...ordinary,
      thickness_nm: est(500, "zinc phosphate conversion layers grown on Zn foil are several hundred nm thick"),
      sigma_mS_cm: est(0.5, "dense inorganic films conduct Zn2+ at about 0.01-1 mS/cm"),
      t_plus: est(0.65, "the phosphate lattice carries mainly Zn2+ and repels sulfate in part"),
      eta_nuc_mV: est(20, "zinc phosphate is zincophilic and lowers the nucleation barrier to about half that on bare Zn"),
      anisotropy_6fold: est(0.1, "phosphate layers are reported to favour flat, (002)-rich deposition"),
      dG_H_eV: est(1.3, "the insulating phosphate covers Zn and hides its H adsorption sites"),
      water_activity: est(0.6, "the dense conversion layer keeps most free water away from the metal"),
      E_GPa: cite(98.88, "Zn3(PO4)2 modulus 98.88 GPa"),
      Gc_J_m2: est(4, "zinc phosphate is a brittle ceramic with a fracture energy of a few J/m2"),
    },
  },
  {
    id: "tio2",
    name: "TiO2 (ALD)",
    kind: "ALD oxide, anti-corrosion",
    principles: ["II"],
    summary:
      "An atomic-layer-deposited TiO2 film passivates the Zn surface and shifts its corrosion potential, slowing corrosion and HER; it is very thin and brittle.",
    values: {
      ...ordinary,
      thickness_nm: est(10, "ALD TiO2 grows ~0.05 nm per cycle, so the ~100-200 cycles used give a film ~10 nm thick"),
      sigma_mS_cm: est(0.05, "an amorphous ALD oxide conducts Zn2+ poorly, near the low end of dense inorganic films"),
      t_plus: est(0.5, "a dense oxide without fixed charge is near the electrolyte's value, slightly cation-favouring"),
      eta_nuc_mV: est(40, "the oxide is not reported as zincophilic, so nucleation stays near the bare value"),
      anisotropy_6fold: est(0.18, "a conformal oxide does not impose a (002) texture"),
      dG_H_eV: est(1.2, "the insulating oxide covers Zn and hides its H adsorption sites"),
      water_activity: est(0.5, "the pinhole-free ALD film keeps much of the water off the metal"),
      dEcorr_mV: cite(-40, "TiO2 ALD shifts Ecorr from -0.87 to -0.91 V vs Ag/AgCl"),
      E_GPa: est(150, "amorphous ALD TiO2 films are reported near 150 GPa by nanoindentation"),
      Gc_J_m2: est(2, "a ~10 nm ceramic film is brittle, with a fracture energy of a few J/m2"),
    },
  },
  {
    id: "al2o3",
    name: "Al2O3 (ALD)",
    kind: "ALD oxide, anti-corrosion",
    principles: ["II"],
    summary:
      "An atomic-layer-deposited Al2O3 film passivates the Zn surface and blocks water, slowing corrosion and HER; it is very thin, stiff and brittle.",
    values: {
      ...ordinary,
      thickness_nm: est(10, "ALD Al2O3 grows ~0.1 nm per cycle, so ~100 cycles give a film ~10 nm thick"),
      sigma_mS_cm: est(0.02, "amorphous Al2O3 is a poor Zn2+ conductor, near the low end of dense inorganic films"),
      t_plus: est(0.5, "a dense oxide without fixed charge is near the electrolyte's value, slightly cation-favouring"),
      eta_nuc_mV: est(40, "the oxide is not reported as zincophilic, so nucleation stays near the bare value"),
      anisotropy_6fold: est(0.18, "a conformal oxide does not impose a (002) texture"),
      dG_H_eV: est(1.3, "the insulating oxide covers Zn and hides its H adsorption sites"),
      water_activity: est(0.5, "the pinhole-free ALD film keeps much of the water off the metal"),
      dEcorr_mV: cite(-4.6, "Al2O3 ALD shifts Ecorr from -871.1 to -875.7 mV"),
      E_GPa: est(170, "amorphous ALD Al2O3 films are reported at about 150-180 GPa by nanoindentation"),
      Gc_J_m2: est(2, "a ~10 nm ceramic film is brittle, with a fracture energy of a few J/m2"),
    },
  },
  {
    id: "pvb",
    name: "PVB",
    kind: "polymer, flexible, anti-corrosion",
    principles: ["II", "III"],
    summary:
      "A polyvinyl butyral film adheres well and stays intact as Zn moves under it; its hydroxyl groups coordinate Zn2+ and its hydrophobic backbone keeps water off, shifting the corrosion potential.",
    values: {
      ...ordinary,
      thickness_nm: est(3000, "spin- or dip-cast polymer layers are a few micrometres thick"),
      sigma_mS_cm: est(0.5, "a non-ionomer polymer swollen by electrolyte conducts Zn2+ at a fraction of a mS/cm"),
      t_plus: est(0.6, "hydroxyl and acetal groups coordinate Zn2+ and partly hold back the anions"),
      eta_nuc_mV: est(35, "the hydroxyl groups give a mild zincophilic effect"),
      anisotropy_6fold: est(0.15, "the coordinating film evens out Zn2+ flux without a strong (002) texture"),
      dG_H_eV: est(1.2, "the insulating polymer covers Zn and hides its H adsorption sites"),
      water_activity: est(0.5, "the hydrophobic butyral backbone keeps much of the water off the metal"),
      dEcorr_mV: cite(42, "PVB shifts Ecorr from -1.052 to -1.010 V"),
      E_GPa: cite(0.24, "PVB modulus 0.22-0.26 GPa (mid value 0.24 GPa used)"),
      Gc_J_m2: est(1000, "PVB is a tough thermoplastic, with a fracture energy in the polymer range of 100-10000 J/m2"),
    },
  },
  {
    id: "speek",
    name: "SPEEK",
    kind: "ionomer, cation-selective",
    principles: ["I", "III"],
    summary:
      "Sulfonated PEEK carries fixed sulfonate anions, so it conducts Zn2+ while blocking sulfate, and is a fairly stiff polymer.",
    values: {
      ...ordinary,
      thickness_nm: est(5000, "cast ionomer layers are several micrometres thick"),
      sigma_mS_cm: est(2, "Zn-exchanged sulfonated ionomers conduct about 1-10 mS/cm when hydrated"),
      t_plus: est(0.85, "fixed sulfonate groups exclude mobile anions, making the layer strongly cation-selective"),
      eta_nuc_mV: est(40, "the ionomer is not reported as strongly zincophilic, so nucleation stays near the bare value"),
      anisotropy_6fold: est(0.15, "the even Zn2+ flux mildly evens out growth without a strong (002) texture"),
      dG_H_eV: est(1.2, "the insulating polymer covers Zn and hides its H adsorption sites"),
      water_activity: est(0.7, "the hydrated ionomer still lets water reach the metal, though less than free electrolyte"),
      E_GPa: cite(4.3, "SPEEK modulus 4.3 GPa"),
      Gc_J_m2: est(2000, "SPEEK is a tough engineering polymer, with a fracture energy of order 1000 J/m2"),
    },
  },
  {
    id: "nafion",
    name: "Nafion",
    kind: "perfluorinated ionomer, cation-selective",
    principles: ["I"],
    summary:
      "Nafion's fixed sulfonate groups make it a near single-ion Zn2+ conductor that removes concentration polarisation at the metal; it is soft.",
    values: {
      ...ordinary,
      thickness_nm: est(5000, "cast ionomer layers are several micrometres thick"),
      sigma_mS_cm: est(1, "Zn-form Nafion conducts about 1 mS/cm, well below its proton form"),
      t_plus: est(0.9, "fixed sulfonate groups exclude mobile anions, making Nafion close to a single-ion conductor"),
      eta_nuc_mV: est(40, "the ionomer is not reported as strongly zincophilic, so nucleation stays near the bare value"),
      anisotropy_6fold: est(0.15, "the even Zn2+ flux mildly evens out growth without a strong (002) texture"),
      dG_H_eV: est(1.2, "the insulating polymer covers Zn and hides its H adsorption sites"),
      water_activity: est(0.7, "the hydrated ionomer still lets water reach the metal, though less than free electrolyte"),
      E_GPa: cite(0.4, "Nafion modulus 0.4 GPa"),
      Gc_J_m2: est(2000, "Nafion is a tough, ductile polymer, with a fracture energy of order 1000 J/m2"),
    },
  },
  {
    id: "uio66-speek",
    name: "UIO-66/SPEEK",
    kind: "MOF-ionomer composite, cation-selective, stiff",
    principles: ["I", "III"],
    summary:
      "UiO-66 particles in a SPEEK matrix add ion-sieving pores to the cation-selective ionomer and lift its modulus above the dendrite-inhibition threshold.",
    values: {
      ...ordinary,
      thickness_nm: est(5000, "cast composite ionomer layers are several micrometres thick"),
      sigma_mS_cm: est(3, "MOF pores add Zn2+ pathways to the ionomer, giving a few mS/cm"),
      t_plus: est(0.88, "fixed sulfonate groups and sub-nm MOF windows both hold back the anions"),
      channel_anisotropy: est(1, "the UiO-66 pores are 3D and the particles randomly dispersed, so transport is isotropic"),
      eta_nuc_mV: est(30, "the Zr-oxo MOF sites give a moderate zincophilic effect"),
      anisotropy_6fold: est(0.12, "the even, sieved Zn2+ flux evens out growth somewhat"),
      dG_H_eV: est(1.2, "the insulating composite covers Zn and hides its H adsorption sites"),
      water_activity: est(0.6, "the MOF windows partly desolvate Zn2+ before it reaches the metal"),
      E_GPa: cite(8.63, "UIO-66/SPEEK modulus 8.63 GPa"),
      Gc_J_m2: est(500, "rigid filler makes the ionomer stiffer but less tough than neat SPEEK"),
    },
  },
  {
    id: "zps",
    name: "ZPS",
    kind: "polymer-based interface layer",
    principles: ["III", "I"],
    summary:
      "The ZPS layer is a compliant polymer-based coating with a modulus of 1.47 GPa that stays intact as the Zn surface moves and conducts Zn2+ to the metal.",
    values: {
      ...ordinary,
      thickness_nm: est(3000, "cast polymer-based layers are a few micrometres thick"),
      sigma_mS_cm: est(1, "a Zn2+-conducting polymer layer conducts about 1 mS/cm, within the usual 0.1-10 mS/cm of ionomers"),
      t_plus: est(0.7, "polar or ionic groups in the layer bind Zn2+ and partly hold back the anions"),
      eta_nuc_mV: est(35, "polar groups give a mild zincophilic effect"),
      anisotropy_6fold: est(0.15, "the even Zn2+ flux mildly evens out growth without a strong (002) texture"),
      dG_H_eV: est(1.2, "the insulating polymer covers Zn and hides its H adsorption sites"),
      water_activity: est(0.7, "the polymer keeps some water off the metal but is not hydrophobic"),
      E_GPa: cite(1.47, "ZPS modulus 1.47 GPa"),
      Gc_J_m2: est(1000, "a polymer-based layer is tough, with a fracture energy in the polymer range of 100-10000 J/m2"),
    },
  },
  {
    id: "aec",
    name: "PVDF/TiO2 AEC",
    kind: "polymer-ceramic composite, anti-corrosion elastic constraint",
    principles: ["II", "III"],
    summary:
      "An anti-corrosion elastic constraint: a PVDF matrix blocks water and dissolved O2 while TiO2 nanoparticles redirect Zn deposition, and the elastic film holds the deposit down.",
    values: {
      ...ordinary,
      thickness_nm: est(5000, "cast PVDF composite layers are several micrometres thick"),
      sigma_mS_cm: est(0.5, "PVDF swells little in water, so Zn2+ moves mainly along TiO2/polymer interfaces, at a fraction of a mS/cm"),
      t_plus: est(0.5, "the composite has no fixed ionic groups, so t+ stays near the electrolyte's value"),
      eta_nuc_mV: est(30, "the TiO2 nanoparticles provide zincophilic sites that spread nucleation"),
      anisotropy_6fold: est(0.15, "the redirected deposition is evened out without a strong (002) texture"),
      dG_H_eV: est(1.3, "the insulating composite covers Zn and hides its H adsorption sites"),
      water_activity: est(0.4, "the hydrophobic PVDF matrix is reported as an H2O/O2-blocking layer"),
      E_GPa: cite(2.67, "PVDF/TiO2 AEC modulus 2.67 GPa"),
      Gc_J_m2: est(1000, "PVDF is a tough fluoropolymer, with a fracture energy of order 1000 J/m2"),
    },
  },
  {
    id: "cof",
    name: "COF@Zn",
    kind: "covalent organic framework, HER-suppressing",
    principles: ["II"],
    summary:
      "A covalent-organic-framework film moves the H adsorption free energy far from zero, so hydrogen evolution falls by about 100x versus bare Zn, while its ordered pores pass Zn2+.",
    values: {
      ...ordinary,
      thickness_nm: est(2000, "COF films grown or cast on Zn are a few micrometres thick"),
      sigma_mS_cm: est(0.5, "framework films conduct Zn2+ at about 0.1-1 mS/cm, like MOFs"),
      t_plus: est(0.5, "the neutral framework sieves anions only slightly, so t+ is near the electrolyte's value"),
      channel_anisotropy: est(0.5, "stacked 2D COF sheets have 1D pores running normal to the electrode, slowing lateral transport"),
      eta_nuc_mV: est(25, "N and O sites in the framework are zincophilic and lower the nucleation barrier"),
      anisotropy_6fold: est(0.12, "the ordered pores even out the Zn2+ flux somewhat"),
      dG_H_eV: cite(2.94, "COF@Zn H adsorption free energy dG_H* 2.94 eV, about 100x lower H2 than bare Zn"),
      water_activity: est(0.5, "sub-nm pores partly desolvate Zn2+ and keep free water from the metal"),
      E_GPa: est(5, "framework films are MOF-like, a few GPa"),
      Gc_J_m2: est(50, "crystalline frameworks are brittle in bulk, but the review reports COF@Zn cycling without failure, so the polycrystalline film is taken as tougher: tens of J/m2"),
    },
  },
  {
    id: "ptfe",
    name: "PTFE",
    kind: "hydrophobic polymer",
    principles: ["II"],
    summary:
      "A hydrophobic PTFE coating keeps water away from the Zn surface, suppressing corrosion and HER, at the cost of slow Zn2+ transport.",
    values: {
      ...ordinary,
      thickness_nm: est(2000, "PTFE particle coatings cast with a binder are a few micrometres thick"),
      sigma_mS_cm: est(0.05, "hydrophobic PTFE takes up little electrolyte, so it conducts Zn2+ poorly"),
      t_plus: est(0.5, "PTFE has no fixed ionic groups, so t+ stays near the electrolyte's value"),
      eta_nuc_mV: est(45, "PTFE is not zincophilic, so nucleation stays at the bare value"),
      anisotropy_6fold: est(0.18, "an inert polymer does not impose a (002) texture"),
      dG_H_eV: est(1.3, "the insulating polymer covers Zn and hides its H adsorption sites"),
      water_activity: est(0.3, "the strongly hydrophobic fluoropolymer keeps most water off the metal"),
      E_GPa: est(0.5, "bulk PTFE has a modulus of about 0.4-0.6 GPa"),
      Gc_J_m2: est(1000, "PTFE is a ductile polymer, with a fracture energy of order 1000 J/m2"),
    },
  },
  {
    id: "il-gel",
    name: "Ionic-liquid gel",
    kind: "hydrophobic ionogel",
    principles: ["II"],
    summary:
      "A gel swollen with a hydrophobic ionic liquid replaces water at the Zn surface, so corrosion and HER are suppressed while Zn2+ still moves through the liquid phase.",
    values: {
      ...ordinary,
      thickness_nm: est(10000, "gel coatings are cast about ten micrometres thick"),
      sigma_mS_cm: est(1, "ionic-liquid gels conduct about 1-10 mS/cm, lowered by the Zn salt and the network"),
      t_plus: est(0.4, "the ionic liquid's own cations and anions carry much of the current, so t+ stays low"),
      eta_nuc_mV: est(40, "the ionogel is not reported as zincophilic, so nucleation stays near the bare value"),
      anisotropy_6fold: est(0.15, "the soft gel evens out growth slightly without a (002) texture"),
      dG_H_eV: est(1.3, "the water-poor, insulating gel covers Zn and hides its H adsorption sites"),
      water_activity: est(0.2, "the hydrophobic ionic liquid excludes most water from the metal"),
      E_GPa: est(0.01, "a swollen polymer gel has a modulus of order 10 MPa"),
      Gc_J_m2: est(100, "a soft swollen gel tears at the low end of the polymer range, about 100 J/m2"),
      tau_s: est(1e7, "the cross-linked gel network is taken as elastic on the time scale of plating"),
    },
  },
  {
    id: "pdms-tio2",
    name: "PDMS/TiO2-x",
    kind: "viscoelastic, adaptive polymer composite",
    principles: ["III"],
    summary:
      "A PDMS matrix with oxygen-deficient TiO2-x particles flows with the growing Zn instead of cracking, relaxing stress and keeping the interface covered; the hydrophobic PDMS also keeps water off.",
    values: {
      ...ordinary,
      thickness_nm: est(5000, "spin-cast PDMS composite layers are several micrometres thick"),
      sigma_mS_cm: est(0.2, "PDMS is a poor ion conductor, so Zn2+ moves mainly along the TiO2-x particles"),
      t_plus: est(0.5, "the composite has no fixed ionic groups, so t+ stays near the electrolyte's value"),
      eta_nuc_mV: est(35, "oxygen vacancies in TiO2-x attract Zn2+ and lower the nucleation barrier slightly"),
      anisotropy_6fold: est(0.15, "the conformal, adaptive film evens out growth without a strong (002) texture"),
      dG_H_eV: est(1.3, "the insulating composite covers Zn and hides its H adsorption sites"),
      water_activity: est(0.4, "hydrophobic PDMS keeps much of the water off the metal"),
      E_GPa: est(0.02, "PDMS composites are soft, of order 10 MPa"),
      Gc_J_m2: est(300, "the elastomer composite is tough, in the lower polymer range"),
      tau_s: est(30, "the viscoelastic PDMS network relaxes stress within tens of seconds, adapting to the moving surface"),
    },
  },
  {
    id: "self-healing",
    name: "Self-healing polymer",
    kind: "self-healing polymer",
    principles: ["III"],
    summary:
      "A polymer with dynamic (reversible) bonds closes cracks as they form, so the layer keeps covering the metal through repeated volume change.",
    values: {
      ...ordinary,
      thickness_nm: est(5000, "cast polymer layers are several micrometres thick"),
      sigma_mS_cm: est(1, "a polar, electrolyte-swollen polymer conducts about 1 mS/cm"),
      t_plus: est(0.6, "polar groups in the network bind Zn2+ and partly hold back the anions"),
      eta_nuc_mV: est(40, "the polymer is not reported as strongly zincophilic, so nucleation stays near the bare value"),
      anisotropy_6fold: est(0.15, "the conformal film evens out growth without a strong (002) texture"),
      dG_H_eV: est(1.2, "the insulating polymer covers Zn and hides its H adsorption sites"),
      water_activity: est(0.7, "the polar polymer keeps some water off the metal but is not hydrophobic"),
      E_GPa: est(0.05, "dynamically cross-linked self-healing polymers have moduli of tens of MPa"),
      Gc_J_m2: est(5000, "dynamic sacrificial bonds dissipate energy, giving a high fracture energy of several kJ/m2"),
      k_heal_1_s: est(0.05, "dynamic bonds re-form within tens of seconds, closing cracks at about 0.05 per second"),
    },
  },
  {
    id: "bto",
    name: "BaTiO3 (BTO)",
    kind: "ferroelectric ceramic layer",
    principles: ["I"],
    summary:
      "Polarised BaTiO3 particles set up a field that spreads Zn2+ laterally and evens out the current at the interface, so nucleation and growth are uniform.",
    values: {
      ...ordinary,
      thickness_nm: est(2000, "BTO particle coatings cast with a binder are a few micrometres thick"),
      sigma_mS_cm: est(0.5, "Zn2+ moves through the electrolyte-filled pores of the particle layer at a fraction of a mS/cm"),
      t_plus: est(0.5, "the particle layer has few fixed ionic groups, so t+ stays near the electrolyte's value"),
      eta_nuc_mV: est(35, "the polarised surface attracts Zn2+ and lowers the nucleation barrier slightly"),
      anisotropy_6fold: est(0.15, "the homogenised field evens out growth without a strong (002) texture"),
      dG_H_eV: est(1.3, "the insulating ceramic covers Zn and hides its H adsorption sites"),
      water_activity: est(0.7, "the porous particle layer keeps only some water off the metal"),
      E_GPa: est(10, "dense BaTiO3 is ~120 GPa, but a particle layer held by a polymer binder is far softer, about 10 GPa"),
      Gc_J_m2: est(50, "the binder-held particle layer is brittle but tougher than a dense ceramic film"),
      ferro_gain: est(8, "the high polarisation of BaTiO3 strongly evens out the lateral field"),
    },
  },
  {
    id: "pvdf-trfe",
    name: "PVDF-TrFE",
    kind: "ferroelectric polymer",
    principles: ["I"],
    summary:
      "The aligned dipoles of beta-phase P(VDF-TrFE) spread the local field and Zn2+ flux laterally, suppressing tip-concentrated current and giving flat deposition.",
    values: {
      ...ordinary,
      thickness_nm: est(3000, "cast or electrospun P(VDF-TrFE) layers are a few micrometres thick"),
      sigma_mS_cm: est(0.5, "the fluoropolymer swells little, so Zn2+ moves at a fraction of a mS/cm"),
      t_plus: est(0.5, "the polymer has no fixed ionic groups, so t+ stays near the electrolyte's value"),
      eta_nuc_mV: est(35, "the polar C-F dipoles attract Zn2+ and lower the nucleation barrier slightly"),
      anisotropy_6fold: est(0.12, "the aligned dipoles are reported to steer flat, (002)-rich deposition"),
      dG_H_eV: est(1.3, "the insulating polymer covers Zn and hides its H adsorption sites"),
      water_activity: est(0.5, "the hydrophobic fluoropolymer keeps much of the water off the metal"),
      E_GPa: est(2, "P(VDF-TrFE) films have a modulus of about 1-3 GPa"),
      Gc_J_m2: est(2000, "the semicrystalline fluoropolymer is tough, with a fracture energy of order 1000 J/m2"),
      ferro_gain: est(5, "the polymer's polarisation is lower than BaTiO3's, so it evens out the lateral field moderately"),
    },
  },
  {
    id: "zif8",
    name: "ZIF-8",
    kind: "MOF, oriented channels, desolvating",
    principles: ["I"],
    summary:
      "ZIF-8's sub-nm windows strip the water shell from Zn2+ and guide it straight down oriented channels to zincophilic sites, so the flux and nucleation are uniform.",
    values: {
      ...ordinary,
      thickness_nm: est(3000, "MOF particle coatings are a few micrometres thick"),
      sigma_mS_cm: est(0.5, "MOF coatings conduct Zn2+ at about 0.1-1 mS/cm"),
      t_plus: est(0.6, "the ~0.34 nm windows hold back bulky solvated sulfate more than Zn2+"),
      channel_anisotropy: est(0.2, "oriented channels favour transport normal to the electrode over lateral transport"),
      eta_nuc_mV: est(25, "the Zn-imidazolate framework is zincophilic and lowers the nucleation barrier"),
      anisotropy_6fold: est(0.12, "the channelled flux evens out growth somewhat"),
      dG_H_eV: est(1.2, "the insulating framework covers Zn and hides its H adsorption sites"),
      water_activity: est(0.6, "the sub-nm windows partly desolvate Zn2+ before it reaches the metal"),
      E_GPa: est(3, "ZIF-8 has a modulus of about 3 GPa"),
      Gc_J_m2: est(2, "crystalline MOF layers are brittle, with a fracture energy of a few J/m2"),
    },
  },
  {
    id: "zeolite",
    name: "Zeolite",
    kind: "aluminosilicate, oriented channels, cation-exchanging",
    principles: ["I"],
    summary:
      "A zeolite layer's negatively charged, oriented channels exchange Zn2+, partly desolvate it and lead it straight to the metal, favouring flat (002) deposition.",
    values: {
      ...ordinary,
      thickness_nm: est(3000, "zeolite particle coatings are a few micrometres thick"),
      sigma_mS_cm: est(0.5, "zeolite coatings conduct Zn2+ at about 0.1-1 mS/cm"),
      t_plus: est(0.7, "the negatively charged aluminosilicate framework is a cation exchanger that repels sulfate"),
      channel_anisotropy: est(0.1, "oriented zeolite channels strongly favour transport normal to the electrode"),
      eta_nuc_mV: est(30, "exchanged Zn2+ sites lower the nucleation barrier moderately"),
      anisotropy_6fold: est(0.08, "the channelled flux is reported to favour (002)-oriented deposition"),
      dG_H_eV: est(1.2, "the insulating framework covers Zn and hides its H adsorption sites"),
      water_activity: est(0.6, "the narrow channels partly desolvate Zn2+ before it reaches the metal"),
      E_GPa: est(40, "zeolite crystals have moduli of about 30-60 GPa"),
      Gc_J_m2: est(5, "zeolite layers are brittle ceramics, with a fracture energy of a few J/m2"),
    },
  },
  {
    id: "carbon",
    name: "Carbon",
    kind: "electronically conductive, zincophilic host",
    principles: ["I"],
    summary:
      "A porous conductive carbon layer spreads the electric field and offers many zincophilic nucleation sites, so Zn deposits evenly, also on top of and within the layer.",
    values: {
      ...ordinary,
      thickness_nm: est(3000, "carbon coatings cast from a slurry are a few micrometres thick"),
      sigma_mS_cm: est(5, "the electrolyte-filled pores conduct about a tenth of the bulk electrolyte's 50 mS/cm"),
      t_plus: est(0.4, "the pores hold free electrolyte, so t+ is the electrolyte's"),
      eta_nuc_mV: est(20, "defective and heteroatom-doped carbon surfaces are zincophilic"),
      anisotropy_6fold: est(0.15, "the spread field evens out growth without a strong (002) texture"),
      dG_H_eV: est(1.1, "graphitic carbon binds H weakly, slightly further from zero than Zn"),
      water_activity: est(1, "the porous layer is filled with aqueous electrolyte"),
      E_GPa: est(10, "porous carbon films with a binder have a modulus of about 10 GPa"),
      Gc_J_m2: est(20, "binder-held carbon films are brittle, with a fracture energy of order 10 J/m2"),
      electronic: est(1, "carbon conducts electrons, so Zn can deposit on top of and within the layer"),
    },
  },
  {
    id: "mxene",
    name: "MXene (Ti3C2Tx)",
    kind: "electronically conductive, zincophilic, (002)-guiding",
    principles: ["I"],
    summary:
      "A conductive Ti3C2Tx MXene film spreads the field, its -O/-F terminations attract Zn2+, and its hexagonal lattice matches Zn (002), so deposition is even and flat.",
    values: {
      ...ordinary,
      thickness_nm: est(2000, "restacked MXene films are a few micrometres thick"),
      sigma_mS_cm: est(5, "Zn2+ moves through the hydrated interlayer galleries at a few mS/cm"),
      t_plus: est(0.5, "negatively charged -O/-F terminations favour cations slightly"),
      eta_nuc_mV: est(15, "the -O/-F terminations are strongly zincophilic"),
      anisotropy_6fold: est(0.06, "the hexagonal MXene lattice has a small mismatch with Zn (002), favouring flat epitaxial deposition"),
      dG_H_eV: est(1.1, "the terminated MXene surface binds H weakly, slightly further from zero than Zn"),
      water_activity: est(0.9, "the hydrated galleries let most water reach the metal"),
      E_GPa: est(30, "multilayer MXene films have moduli of about 30 GPa"),
      Gc_J_m2: est(20, "stacked MXene flakes are brittle, with a fracture energy of order 10 J/m2"),
      electronic: est(1, "MXene conducts electrons, so Zn can deposit on top of the layer"),
    },
  },
];

// Keep the ids and their order aligned with PRESET_IDS (checked in the tests too).
if (PRESETS.length !== PRESET_IDS.length || PRESETS.some((p, i) => p.id !== PRESET_IDS[i])) {
  throw new Error("PRESETS must list exactly PRESET_IDS, in order");
}

export function getPreset(id: string): Preset | undefined {
  return PRESETS.find((p) => p.id === id);
}

/** The preset's numbers, without their citations or estimates. */
export function presetValues(p: Preset): CoatingValues {
  const out = {} as CoatingValues;
  for (const { key } of COATING_PARAMS) out[key] = p.values[key].value;
  return out;
}

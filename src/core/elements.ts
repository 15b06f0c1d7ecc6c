// Periodic table: symbols by atomic number, Pauling electronegativity as pymatgen 2022.11
// uses it (`Element(sym).X`, from its periodic_table.json), and atomic masses (`atomic_mass`, for
// capacities in mAh/g). pymatgen has no value for the noble
// gases He/Ne/Ar or for Z >= 104 and returns NaN there; so do we, since formula ordering
// depends on exactly that (see composition.ts).

/** Element symbols in order of atomic number (index 0 is H, Z = 1). */
export const ELEMENT_SYMBOLS: readonly string[] = Object.freeze(
  (
    'H He Li Be B C N O F Ne Na Mg Al Si P S Cl Ar K Ca Sc Ti V Cr Mn Fe Co Ni Cu Zn Ga Ge As Se ' +
    'Br Kr Rb Sr Y Zr Nb Mo Tc Ru Rh Pd Ag Cd In Sn Sb Te I Xe Cs Ba La Ce Pr Nd Pm Sm Eu Gd Tb ' +
    'Dy Ho Er Tm Yb Lu Hf Ta W Re Os Ir Pt Au Hg Tl Pb Bi Po At Rn Fr Ra Ac Th Pa U Np Pu Am Cm ' +
    'Bk Cf Es Fm Md No Lr Rf Db Sg Bh Hs Mt Ds Rg Cn Nh Fl Mc Lv Ts Og'
  ).split(' '),
);

// Pauling electronegativity by atomic number (index Z - 1); NaN where pymatgen has none.
// biome-ignore format: a table by atomic number, 16 to a line
const X: readonly number[] = [
  2.2, NaN, 0.98, 1.57, 2.04, 2.55, 3.04, 3.44, 3.98, NaN, 0.93, 1.31, 1.61, 1.9, 2.19, 2.58,
  3.16, NaN, 0.82, 1.0, 1.36, 1.54, 1.63, 1.66, 1.55, 1.83, 1.88, 1.91, 1.9, 1.65, 1.81, 2.01,
  2.18, 2.55, 2.96, 3.0, 0.82, 0.95, 1.22, 1.33, 1.6, 2.16, 1.9, 2.2, 2.28, 2.2, 1.93, 1.69, 1.78,
  1.96, 2.05, 2.1, 2.66, 2.6, 0.79, 0.89, 1.1, 1.12, 1.13, 1.14, 1.13, 1.17, 1.2, 1.2, 1.1, 1.22,
  1.23, 1.24, 1.25, 1.1, 1.27, 1.3, 1.5, 2.36, 1.9, 2.2, 2.2, 2.28, 2.54, 2.0, 1.62, 2.33, 2.02,
  2.0, 2.2, 2.2, 0.7, 0.9, 1.1, 1.3, 1.5, 1.38, 1.36, 1.28, 1.3, 1.3, 1.3, 1.3, 1.3, 1.3, 1.3,
  1.3, 1.3, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN,
];

/** Every element symbol in alphabetical (code unit) order: the order of a chemical system ('Cl-Li-P-S'). */
export const ALPHABETICAL_SYMBOLS: readonly string[] = Object.freeze([...ELEMENT_SYMBOLS].sort());
/** Each symbol's position in ALPHABETICAL_SYMBOLS. */
export const ALPHABETICAL_RANK: ReadonlyMap<string, number> = new Map(ALPHABETICAL_SYMBOLS.map((el, r) => [el, r]));

const Z_BY_SYMBOL: ReadonlyMap<string, number> = new Map(ELEMENT_SYMBOLS.map((s, i) => [s, i + 1]));

export function isElementSymbol(s: unknown): s is string {
  return typeof s === 'string' && Z_BY_SYMBOL.has(s);
}

function z(sym: string): number {
  const n = Z_BY_SYMBOL.get(sym);
  if (n === undefined) throw new RangeError(`unknown element '${String(sym)}'`);
  return n;
}

/** Atomic number; throws RangeError for anything that is not one of the 118 symbols. */
export function atomicNumber(sym: string): number {
  return z(sym);
}

/** Pauling electronegativity as pymatgen's `Element(sym).X`: NaN for He, Ne, Ar and Z >= 104. */
export function electronegativity(sym: string): number {
  return X[z(sym) - 1];
}

// Atomic mass (g/mol) by atomic number (index Z - 1), pymatgen's `Element(sym).atomic_mass`, Z <= 103.
// biome-ignore format: a table by atomic number, 10 to a line
const MASS: readonly number[] = [
  1.00794, 4.002602, 6.941, 9.012182, 10.811, 12.0107, 14.0067, 15.9994, 18.9984032, 20.1797,
  22.98976928, 24.305, 26.9815386, 28.0855, 30.973762, 32.065, 35.453, 39.948, 39.0983, 40.078,
  44.955912, 47.867, 50.9415, 51.9961, 54.938045, 55.845, 58.933195, 58.6934, 63.546, 65.409,
  69.723, 72.64, 74.9216, 78.96, 79.904, 83.798, 85.4678, 87.62, 88.90585, 91.224,
  92.90638, 95.94, 98.0, 101.07, 102.9055, 106.42, 107.8682, 112.411, 114.818, 118.71,
  121.76, 127.6, 126.90447, 131.293, 132.9054519, 137.327, 138.90547, 140.116, 140.90765, 144.242,
  145.0, 150.36, 151.964, 157.25, 158.92535, 162.5, 164.93032, 167.259, 168.93421, 173.04,
  174.967, 178.49, 180.94788, 183.84, 186.207, 190.23, 192.217, 195.084, 196.966569, 200.59,
  204.3833, 207.2, 208.9804, 210.0, 210.0, 220.0, 223.0, 226.0, 227.0, 232.03806,
  231.03588, 238.02891, 237.0, 244.0, 243.0, 247.0, 247.0, 251.0, 252.0, 257.0,
  258.0, 259.0, 262.0,
];

/** Atomic mass (g/mol) as pymatgen's `Element(sym).atomic_mass`; throws RangeError past Lr (Z = 103). */
export function atomicMass(sym: string): number {
  const m = MASS[z(sym) - 1];
  if (m === undefined) throw new RangeError(`no atomic mass for ${sym}`);
  return m;
}

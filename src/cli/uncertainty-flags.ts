// The --uncertainty flags and their usage text, apart from cli/uncertainty.ts (which loads the
// engine) so that a command can name them without loading what sampling needs.
export const UNCERTAINTY_VALUED = ['sigma', 'samples', 'seed', 'precision', 'workers'];
export const UNCERTAINTY_BOOLEAN = ['uncertainty', 'independent-corrections'];

export const UNCERTAINTY_USAGE = `  --uncertainty          sample the energies' errors: the entries' own (MP2020 correction
                         uncertainties, shared per correction name; an e_form_per_atom_std or
                         uncertainty column) plus --sigma; report probabilities and 5–95 % bands
  --sigma S              independent error of every entry, eV/atom (default 0)
  --samples N            samples at most (default 1000)   --seed N   (default 1)
  --precision P          stop once every probability's Monte Carlo standard error is <= P
  --independent-corrections   draw each correction's error per entry (ignores the correlation)
  --workers N            sample on N worker threads (default: this thread)`;

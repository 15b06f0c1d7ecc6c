// The one error of formulas and compositions: its message names the culprit (the formula, the element).
export class FormulaError extends Error {
  override name = 'FormulaError';
}

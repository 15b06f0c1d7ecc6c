// What every plot accepts and how it is checked: the common options (size, title, theme, …),
// their validation with defaults, and PlotError, the one error the plots throw. Kept apart so
// the string builders below it can throw without depending on any plot.

export class PlotError extends Error {
  override name = 'PlotError';
}

/** `auto` follows the viewer's light/dark preference (`prefers-color-scheme`); the others are fixed. */
export type Theme = 'auto' | 'light' | 'dark';

/** Options common to every plot. */
export interface PlotOptions {
  /** Width in px (the viewBox too). */
  width?: number;
  /** Height in px (the viewBox too). */
  height?: number;
  /** Plot title, also the accessible name (`<title>`). */
  title?: string;
  /** Accessible description (`<desc>`); a summary of the data by default. */
  description?: string;
  /** Default `auto`. */
  theme?: Theme;
  /** Base font size in px. Default 12. */
  fontSize?: number;
  /** Paint a background (default true); false leaves it transparent. */
  background?: boolean;
  /** id of the root `<svg>` (inner ids and the CSS scope derive from it); default: a hash of the content. */
  id?: string;
}

export interface ResolvedOptions {
  readonly width: number;
  readonly height: number;
  readonly fontSize: number;
  readonly theme: Theme;
  readonly background: boolean;
}

/** Validates the common options and fills in defaults. */
export function resolveOptions(fn: string, o: PlotOptions, width: number, height: number): ResolvedOptions {
  const size = (name: string, v: unknown, dflt: number, min: number): number => {
    if (v === undefined) return dflt;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < min) throw new PlotError(`${fn}: option ${name} must be a number >= ${min}, got ${String(v)}`);
    return v;
  };
  const theme = o.theme ?? 'auto';
  if (theme !== 'auto' && theme !== 'light' && theme !== 'dark') throw new PlotError(`${fn}: option theme must be 'auto', 'light' or 'dark', got ${JSON.stringify(theme)}`);
  if (o.id !== undefined && !/^[A-Za-z_][\w.-]*$/.test(o.id)) throw new PlotError(`${fn}: option id must be an XML name (letters, digits, _ . -), got ${JSON.stringify(o.id)}`);
  return {
    width: size('width', o.width, width, 120),
    height: size('height', o.height, height, 100),
    fontSize: size('fontSize', o.fontSize, 12, 4),
    theme,
    background: o.background ?? true,
  };
}

/** Throws a PlotError unless v is a finite number. */
export function requireFinite(fn: string, what: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new PlotError(`${fn}: ${what} must be a finite number, got ${typeof v === 'string' ? JSON.stringify(v) : String(v)}`);
  return v;
}

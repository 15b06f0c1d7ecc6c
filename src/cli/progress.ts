/**
 * A one-line progress bar for terminals (`\r`-redrawn, throttled): count, percentage and bar when
 * the total is known, rate, elapsed time and ETA. Browser-safe: it writes through a callback.
 */
export interface ProgressBar {
  /** `done` items so far, of `total` when known. Redraws at most every `interval` ms. */
  update(done: number, total?: number): void;
  /** Draws the final state and ends the line. */
  finish(): void;
  /** Clears the line (e.g. before printing an error). */
  clear(): void;
}

export interface ProgressBarOptions {
  /** Unit shown after the counts (default 'rows'). */
  unit?: string;
  /** Text before the bar. */
  label?: string;
  /** Bar width in characters (default 24). */
  width?: number;
  /** Minimum ms between redraws (default 100). */
  interval?: number;
  /** Clock (ms), for tests. */
  now?: () => number;
}

/** A bar writing to `write` (stderr when it is a terminal); `progressBar(undefined)` does nothing. */
export function progressBar(write: ((s: string) => void) | undefined, options: ProgressBarOptions = {}): ProgressBar {
  if (!write) return { update() {}, finish() {}, clear() {} };
  const now = options.now ?? (() => performance.now());
  const unit = options.unit ?? 'rows';
  const width = options.width ?? 24;
  const interval = options.interval ?? 100;
  const t0 = now();
  let last = -Infinity;
  let done = 0;
  let total: number | undefined;
  let shown = 0;
  const draw = (): void => {
    const t = now();
    last = t;
    const secs = (t - t0) / 1000;
    const rate = secs > 0 ? done / secs : 0;
    const parts: string[] = [];
    if (options.label) parts.push(options.label);
    if (total !== undefined && total > 0) {
      const f = Math.min(1, done / total);
      const filled = Math.round(f * width);
      parts.push(`[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(100 * f).toFixed(0).padStart(3)}%`);
      parts.push(`${fmtInt(done)}/${fmtInt(total)} ${unit}`);
    } else parts.push(`${fmtInt(done)} ${unit}`);
    parts.push(`${fmtInt(rate)} ${unit}/s`);
    parts.push(fmtTime(secs));
    if (total !== undefined && rate > 0 && done < total) parts.push(`ETA ${fmtTime((total - done) / rate)}`);
    const text = parts.join('  ');
    write(`\r${text}${' '.repeat(Math.max(0, shown - text.length))}`);
    shown = text.length;
  };
  return {
    update(d, t) {
      done = d;
      if (t !== undefined) total = t;
      if (now() - last >= interval) draw();
    },
    finish() {
      draw();
      write('\n');
      shown = 0;
    },
    clear() {
      if (shown) write(`\r${' '.repeat(shown)}\r`);
      shown = 0;
    },
  };
}

function fmtInt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** m:ss, or h:mm:ss from an hour. */
export function fmtTime(secs: number): string {
  const s = Math.max(0, Math.round(secs));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

// The lexical layer of the streaming JSON reader (json-reader.ts): strings, scalars (with Python's
// NaN / Infinity) and values skipped unbuilt. Each may find its token cut by the end of a pushed
// piece and then asks for more input (`undefined`, or `done === false`); errors go to the reader's
// `fail`, which knows the line and record to name.
import { errorMessage } from './load-error.js';

/** Throws the reader's `LoadError` for a message at a position of its buffer. */
export type Fail = (msg: string, p: number) => never;

const NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

export function isWs(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9;
}

/** The character at `p` as messages show it. */
export function describeChar(b: string, p: number): string {
  const c = b[p];
  return c === undefined ? 'end of input' : JSON.stringify(c);
}

/** The string starting with the quote at `p`, and the position after it; `undefined` if cut (and not `final`). */
export function readString(b: string, p: number, final: boolean, fail: Fail): { value: string; end: number } | undefined {
  let j = p + 1;
  for (;;) {
    j = b.indexOf('"', j);
    if (j < 0) {
      if (final) fail('unterminated string', p);
      return undefined;
    }
    let k = j - 1;
    while (k > p && b.charCodeAt(k) === 92) k--;
    if ((j - 1 - k) % 2 === 0) break;
    j++;
  }
  const raw = b.slice(p + 1, j);
  if (raw.indexOf('\\') < 0) return { value: raw, end: j + 1 };
  try {
    return { value: JSON.parse(b.slice(p, j + 1)) as string, end: j + 1 };
  } catch (e) {
    fail(`bad string ${b.slice(p, Math.min(j + 1, p + 60))}: ${errorMessage(e)}`, p);
  }
}

/** A string, number, `true`, `false`, `null`, `NaN`, `Infinity` or `-Infinity` at `p`; `undefined` if cut. */
export function readScalar(b: string, p: number, final: boolean, fail: Fail): { value: unknown; end: number } | undefined {
  const c = b.charCodeAt(p);
  if (c === 34) return readString(b, p, final, fail);
  let j = p;
  const n = b.length;
  while (j < n) {
    const d = b.charCodeAt(j);
    // letters, digits, + - .
    if ((d >= 48 && d <= 57) || (d >= 65 && d <= 90) || (d >= 97 && d <= 122) || d === 43 || d === 45 || d === 46) j++;
    else break;
  }
  if (j === n && !final) return undefined;
  const tok = b.slice(p, j);
  let value: unknown;
  switch (tok) {
    case 'true':
      value = true;
      break;
    case 'false':
      value = false;
      break;
    case 'null':
      value = null;
      break;
    case 'NaN':
      value = NaN;
      break;
    case 'Infinity':
      value = Infinity;
      break;
    case '-Infinity':
      value = -Infinity;
      break;
    default:
      if (!NUMBER.test(tok)) fail(tok === '' ? `unexpected ${describeChar(b, p)}` : `bad token ${JSON.stringify(tok.slice(0, 40))}`, p);
      value = Number(tok);
  }
  return { value, end: j };
}

/** A value skipped unbuilt: a fast scan of strings and bracket depth only, resumable across pieces. */
export class SkippedValue {
  /** Whether the value ended where `scan` stopped. */
  done = false;
  private depth = 0;
  private inStr = false;
  private esc = false;
  private started = false;
  private scalar = false;

  reset(): void {
    this.done = false;
    this.depth = 0;
    this.inStr = false;
    this.esc = false;
    this.started = false;
    this.scalar = false;
  }

  /** Scans `b` from `p`; returns where it stopped: after the value (`done`), or at the end of `b`. */
  scan(b: string, p: number, final: boolean, fail: Fail): number {
    const n = b.length;
    let depth = this.depth;
    let inStr = this.inStr;
    let esc = this.esc;
    let done = false;
    let c: number;
    if (!this.started) {
      while (p < n && isWs(b.charCodeAt(p))) p++;
      if (p === n) return p;
      c = b.charCodeAt(p);
      this.started = true;
      if (c === 34) {
        inStr = true;
        p++;
      } else if (c === 91 || c === 123) {
        depth = 1;
        p++;
      } else if (c === 44 || c === 93 || c === 125 || c === 58) fail(`expected a value, got ${describeChar(b, p)}`, p);
      else this.scalar = true;
    }
    if (this.scalar) {
      while (p < n) {
        c = b.charCodeAt(p);
        if (c === 44 || c === 93 || c === 125 || isWs(c)) {
          done = true;
          break;
        }
        p++;
      }
      if (!done && final) done = true;
    } else {
      while (p < n) {
        c = b.charCodeAt(p++);
        if (inStr) {
          if (esc) esc = false;
          else if (c === 92) esc = true;
          else if (c === 34) {
            inStr = false;
            if (depth === 0) {
              done = true;
              break;
            }
          }
        } else if (c === 34) inStr = true;
        else if (c === 91 || c === 123) depth++;
        else if (c === 93 || c === 125) {
          if (--depth === 0) {
            done = true;
            break;
          }
        }
      }
    }
    this.depth = depth;
    this.inStr = inStr;
    this.esc = esc;
    this.done = done;
    return p;
  }
}

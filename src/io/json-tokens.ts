// The lexical layer of the streaming JSON reader (json-reader.ts): strings, scalars (with Python's
// NaN / Infinity), values skipped unbuilt, and tokens cut across pieces (CutToken). Each may find its token cut by the end of a pushed
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

/** A character that ends a number or literal (readScalar's token is letters, digits, + - .). */
const SCALAR_END = /[^A-Za-z0-9+\-.]/;

/** Whether text without quotes, read after escape state `esc`, leaves the next character escaped. */
function endsEscaped(text: string, esc: boolean): boolean {
  let k = 0;
  while (k < text.length && text.charCodeAt(text.length - 1 - k) === 92) k++;
  return k === text.length ? (esc ? k - 1 : k) % 2 === 1 || (esc && k === 0) : k % 2 === 1;
}

/**
 * A string or scalar cut by the end of the text so far: its pieces kept apart until one arrives
 * that can end it, then joined once — so a value of any length costs linear time (rebuilding the
 * buffer at every piece made an 8 MB string take 0.26 s and a 16 MB one 0.96 s).
 */
export class CutToken {
  private pieces: string[] = [];
  private string = false;
  /** In a string: whether its text so far ends in an unpaired backslash. */
  private escape = false;

  get active(): boolean {
    return this.pieces.length > 0;
  }

  /** Starts with the token's text so far (from its first character). */
  start(text: string): void {
    this.pieces = [text];
    this.string = text.charCodeAt(0) === 34;
    this.escape = this.string && endsEscaped(text.slice(1), false);
  }

  /** Adds a piece; true when it may end the token (then `take()` and read on), false when held. */
  add(chunk: string): boolean {
    if (!this.string) {
      if (SCALAR_END.test(chunk)) return this.last(chunk);
      this.pieces.push(chunk);
      return false;
    }
    if (chunk.indexOf('"') < 0) {
      this.escape = endsEscaped(chunk, this.escape);
      this.pieces.push(chunk);
      return false;
    }
    let esc = this.escape;
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk.charCodeAt(i);
      if (esc) esc = false;
      else if (c === 92) esc = true;
      else if (c === 34) return this.last(chunk);
    }
    this.escape = esc;
    this.pieces.push(chunk);
    return false;
  }

  /** The token's text (with the piece that may end it); the token is then no longer active. */
  take(): string {
    const s = this.pieces.join('');
    this.pieces = [];
    return s;
  }

  private last(chunk: string): true {
    this.pieces.push(chunk);
    return true;
  }
}

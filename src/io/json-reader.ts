// The streaming JSON array reader: a JSON document that is an array of records (or the Materials
// Project API's `{"data": [...]}` envelope) read from text pieces one element at a time, so a file of
// any size needs the memory of one record. Loaders (entry-stream.ts) pass its elements to
// RecordConverter; tokens are read by json-tokens.ts.
import { LoadError } from './load-error.js';
import { CutToken, describeChar, type Fail, isWs, readScalar, readString, SkippedValue } from './json-tokens.js';

/** One element of the streamed array, with its 0-based index and 1-based starting line. */
export interface JsonElement {
  value: unknown;
  index: number;
  line: number;
}

export interface JsonArrayReaderOptions {
  source?: string;
  /**
   * Keys whose values are skipped (scanned for balanced brackets only, never built) inside
   * elements, at any depth. Default: `structure`, `structures`, `initial_structures`, `entries`
   * (ComputedStructureEntry structures; the per-functional entries of MP thermo documents).
   */
  skipKeys?: Iterable<string>;
}

export const DEFAULT_SKIP_KEYS: readonly string[] = ['structure', 'structures', 'initial_structures', 'entries'];

enum S {
  Root,
  Value,
  ObjFirst,
  ObjKey,
  Colon,
  ObjNext,
  ArrFirst,
  ArrNext,
  Skip,
  Done,
}

enum K {
  Obj,
  Arr,
  /** the streamed array: its elements are emitted, not stored */
  Records,
  /** `{ "data": [...] , ...}` envelope: only `data` is read */
  Envelope,
}

interface Frame {
  kind: K;
  value: Record<string, unknown> | unknown[] | undefined;
  key: string;
}

/**
 * Incremental reader of a JSON document that is an array of records (or an object whose
 * `data` member is one, as the Materials Project API returns): feed text chunks with `push`,
 * get back the elements completed so far; call `end` at the end of input. Only one element is
 * built at a time, and values of `skipKeys` are scanned without being built, so memory stays
 * bounded by one (trimmed) record plus one chunk. Accepts standard JSON plus Python's `NaN`,
 * `Infinity` and `-Infinity` (which `json.dump` writes for float NaN/inf).
 */
export class JsonArrayReader {
  readonly source: string;
  private readonly skipKeys: Set<string>;
  private buf = '';
  private pos = 0;
  private line = 1;
  private lineScan = 0;
  private state: S = S.Root;
  private stack: Frame[] = [];
  /** stack depth of the Records frame, or -1 */
  private recordsDepth = -1;
  private sawData = false;
  private expectRecordsArray = false;
  private index = 0;
  private elementLine = 0;
  private out: JsonElement[] = [];
  private readonly skipped = new SkippedValue();
  private ended = false;
  /** A string or scalar cut by the end of the text so far (json-tokens.ts): linear in its length. */
  private readonly cut = new CutToken();
  private copied = 0;
  /** Errors of the token readers, at a position of the buffer. */
  private readonly fail: Fail = (msg, p) => {
    this.pos = p;
    return this.error(msg, p);
  };

  constructor(options: JsonArrayReaderOptions = {}) {
    this.source = options.source ?? 'JSON';
    this.skipKeys = new Set(options.skipKeys ?? DEFAULT_SKIP_KEYS);
  }

  /** Number of elements emitted so far. */
  get count(): number {
    return this.index;
  }

  /** Characters copied again into the buffer so far (work beyond reading each piece once; for tests). */
  get recopied(): number {
    return this.copied;
  }

  push(chunk: string): JsonElement[] {
    if (this.ended) throw new Error('JsonArrayReader: push after end');
    if (this.cut.active) {
      if (!this.cut.add(chunk)) return [];
      this.buf = this.cut.take();
      this.copied += this.buf.length - chunk.length;
    } else {
      this.lineAt(this.pos);
      if (this.pos < this.buf.length) this.copied += this.buf.length - this.pos;
      this.buf = this.pos < this.buf.length ? this.buf.slice(this.pos) + chunk : chunk;
    }
    this.pos = 0;
    this.lineScan = 0;
    this.run(false);
    this.holdCutToken();
    return this.take();
  }

  end(): JsonElement[] {
    if (this.ended) return [];
    if (this.cut.active) {
      this.buf = this.cut.take();
      this.pos = 0;
      this.lineScan = 0;
    }
    this.run(true);
    this.ended = true;
    if (this.state !== S.Done) {
      if (this.state === S.Root && this.stack.length === 0) {
        // empty (or whitespace-only) input: no entries
        return this.take();
      }
      this.error('unexpected end of input (truncated JSON?)', this.buf.length);
    }
    return this.take();
  }

  /** After a piece: a string or scalar cut at its end is held apart (its lines counted first). */
  private holdCutToken(): void {
    if (this.state === S.Skip || this.state === S.Done || this.pos >= this.buf.length) return;
    this.lineAt(this.pos);
    this.cut.start(this.buf.slice(this.pos));
    this.buf = '';
    this.pos = 0;
    this.lineScan = 0;
  }

  private take(): JsonElement[] {
    const o = this.out;
    this.out = [];
    return o;
  }

  private lineAt(p: number): number {
    const b = this.buf;
    let l = this.line;
    for (let i = this.lineScan; i < p; i++) if (b.charCodeAt(i) === 10) l++;
    this.line = l;
    this.lineScan = p;
    return l;
  }

  private error(msg: string, p: number): never {
    const line = this.lineAt(Math.min(p, this.buf.length));
    const inRecord = this.recordsDepth >= 0 && this.stack.length > this.recordsDepth + 1;
    const where = inRecord ? ` record ${this.index} (line ${line})` : ` line ${line}`;
    throw new LoadError(`${this.source}${where}: invalid JSON: ${msg}`, {
      source: this.source,
      line,
      ...(inRecord ? { record: this.index } : {}),
    });
  }

  /** Called when a complete value is ready at the current stack top. */
  private complete(v: unknown): void {
    const top = this.stack[this.stack.length - 1];
    if (top === undefined) {
      this.error('expected an array of records', this.pos);
    }
    switch (top.kind) {
      case K.Obj: {
        const o = top.value as Record<string, unknown>;
        if (top.key === '__proto__') Object.defineProperty(o, top.key, { value: v, enumerable: true, writable: true, configurable: true });
        else o[top.key] = v;
        this.state = S.ObjNext;
        break;
      }
      case K.Arr:
        (top.value as unknown[]).push(v);
        this.state = S.ArrNext;
        break;
      case K.Records:
        this.out.push({ value: v, index: this.index, line: this.elementLine });
        this.index++;
        this.state = S.ArrNext;
        break;
      case K.Envelope:
        this.state = S.ObjNext;
        break;
    }
  }

  private startSkip(): void {
    this.state = S.Skip;
    this.skipped.reset();
  }

  private run(final: boolean): void {
    const b = this.buf;
    const n = b.length;
    let p = this.pos;
    while (p < n) {
      const c = b.charCodeAt(p);
      if (this.state === S.Skip) {
        p = this.skipped.scan(b, p, final, this.fail);
        if (!this.skipped.done) break;
        // skipped value finished: the key is simply left out
        const top = this.stack[this.stack.length - 1] as Frame;
        this.state = top.kind === K.Obj || top.kind === K.Envelope ? S.ObjNext : S.ArrNext;
        continue;
      }
      if (isWs(c)) {
        p++;
        continue;
      }
      // a closing bracket where its container may end (empty, or after a member)
      if (c === 125 ? this.state === S.ObjFirst || this.state === S.ObjNext : c === 93 && (this.state === S.ArrFirst || this.state === S.ArrNext)) {
        p++;
        this.closeContainer();
        continue;
      }
      switch (this.state) {
        case S.Root:
          if (c === 0xfeff && p === 0) {
            p++;
            continue;
          }
          if (c === 91) {
            this.stack.push({ kind: K.Records, value: undefined, key: '' });
            this.recordsDepth = 0;
            this.state = S.ArrFirst;
            p++;
            continue;
          }
          if (c === 123) {
            this.stack.push({ kind: K.Envelope, value: undefined, key: '' });
            this.state = S.ObjFirst;
            p++;
            continue;
          }
          throw this.fail(`unknown format: expected a JSON array of records or {"data": [...]}, got ${describeChar(b, p)}`, p);
        case S.Done:
          throw this.fail(`unexpected ${describeChar(b, p)} after the end of the JSON document`, p);
        case S.Colon:
          if (c !== 58) this.fail(`expected ':' after key ${JSON.stringify((this.stack[this.stack.length - 1] as Frame).key)}, got ${describeChar(b, p)}`, p);
          p++;
          this.enterMemberValue();
          continue;
        case S.ObjNext:
        case S.ArrNext:
          if (c === 44) {
            p++;
            this.state = this.state === S.ObjNext ? S.ObjKey : S.Value;
            continue;
          }
          throw this.fail(`expected ',' or '${this.state === S.ObjNext ? '}' : ']'}', got ${describeChar(b, p)}`, p);
        case S.ObjFirst:
        case S.ObjKey: {
          if (c !== 34) this.fail(`expected a string key, got ${describeChar(b, p)}`, p);
          const r = readString(b, p, final, this.fail);
          if (r === undefined) break;
          (this.stack[this.stack.length - 1] as Frame).key = r.value;
          p = r.end;
          this.state = S.Colon;
          continue;
        }
        case S.ArrFirst:
        case S.Value: {
          if (this.expectRecordsArray) {
            // the envelope's `data` member must be the records array
            if (c !== 91) this.fail('unknown format: "data" is not an array of records', p);
            this.expectRecordsArray = false;
            this.stack.push({ kind: K.Records, value: undefined, key: '' });
            this.recordsDepth = this.stack.length - 1;
            this.state = S.ArrFirst;
            p++;
            continue;
          }
          const top = this.stack[this.stack.length - 1] as Frame;
          if (top.kind === K.Records) this.elementLine = this.lineAt(p);
          if (c === 123) {
            this.stack.push({ kind: K.Obj, value: {}, key: '' });
            this.state = S.ObjFirst;
            p++;
            continue;
          }
          if (c === 91) {
            this.stack.push({ kind: K.Arr, value: [], key: '' });
            this.state = S.ArrFirst;
            p++;
            continue;
          }
          const r = readScalar(b, p, final, this.fail);
          if (r === undefined) break;
          p = r.end;
          this.complete(r.value);
          continue;
        }
        default:
          break;
      }
      // a token is incomplete: wait for more input
      break;
    }
    this.pos = p;
  }

  /** After `key:` — decide whether to build, skip, or (envelope) descend into `data`. */
  private enterMemberValue(): void {
    const top = this.stack[this.stack.length - 1] as Frame;
    if (top.kind === K.Envelope) {
      if (top.key === 'data' && !this.sawData) {
        this.sawData = true;
        this.state = S.Value;
        this.expectRecordsArray = true;
        return;
      }
      this.startSkip();
      return;
    }
    if (this.recordsDepth >= 0 && this.skipKeys.has(top.key)) {
      this.startSkip();
      return;
    }
    this.state = S.Value;
  }

  private closeContainer(): void {
    const f = this.stack.pop() as Frame;
    if (f.kind === K.Records) {
      if (this.stack.length === 0) {
        this.state = S.Done;
      } else {
        this.recordsDepth = -1;
        this.state = S.ObjNext; // back in the envelope
      }
      return;
    }
    if (f.kind === K.Envelope) {
      if (!this.sawData) {
        this.error('unknown format: a JSON object without a "data" array of records', this.pos);
      }
      this.state = S.Done;
      return;
    }
    this.complete(f.value);
  }
}

// Bytes → text for every file reader (Node files and Blobs alike): UTF-8, strictly. Invalid UTF-8
// (a Latin-1 file, binary data) is refused with a LoadError naming the file, the byte and its
// line, instead of silently becoming U+FFFD inside a formula or an id. A BOM is kept as U+FEFF
// (the readers skip it).
import { LoadError } from './load-error.js';

/** Index of the first byte of an invalid UTF-8 sequence in `b`, or -1 (a sequence cut at the end counts as valid). */
export function invalidUtf8At(b: Uint8Array): number {
  const n = b.length;
  let i = 0;
  while (i < n) {
    const c = b[i]!;
    if (c < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (c >= 0xc2 && c <= 0xdf) need = 1;
    else if (c >= 0xe0 && c <= 0xef) {
      need = 2;
      if (c === 0xe0) lo = 0xa0;
      if (c === 0xed) hi = 0x9f;
    } else if (c >= 0xf0 && c <= 0xf4) {
      need = 3;
      if (c === 0xf0) lo = 0x90;
      if (c === 0xf4) hi = 0x8f;
    } else return i;
    for (let k = 1; k <= need; k++) {
      if (i + k >= n) return -1;
      const d = b[i + k]!;
      if (d < (k === 1 ? lo : 0x80) || d > (k === 1 ? hi : 0xbf)) return i;
    }
    i += need + 1;
  }
  return -1;
}

/** Decodes a stream of byte chunks into text pieces; `end()` at the end of the stream. */
export class Utf8Text {
  private readonly decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  /** Bytes of an unfinished character carried from the previous chunk. */
  private tail: Uint8Array = new Uint8Array(0);
  private bytes = 0;
  private lines = 1;

  constructor(readonly source: string) {}

  decode(chunk: Uint8Array): string {
    let text: string;
    try {
      text = this.decoder.decode(chunk, { stream: true });
    } catch {
      throw this.invalid(chunk);
    }
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) this.lines++;
    // Keep up to 3 trailing bytes that may start a character the next chunk completes.
    let k = 0;
    while (k < 3 && k < chunk.length && (chunk[chunk.length - 1 - k]! & 0xc0) === 0x80) k++;
    const last = chunk.length - 1 - k;
    this.tail = last >= 0 && chunk[last]! >= 0xc0 ? chunk.slice(last) : new Uint8Array(0);
    this.bytes += chunk.length;
    return text;
  }

  end(): string {
    try {
      return this.decoder.decode();
    } catch {
      throw new LoadError(
        `${this.source}: not UTF-8 text: the file ends inside a character (byte ${this.bytes - this.tail.length}, line ${this.lines}); interphase reads UTF-8 — save the file as UTF-8`,
        {
          source: this.source,
          line: this.lines,
        },
      );
    }
  }

  private invalid(chunk: Uint8Array): LoadError {
    const all = new Uint8Array(this.tail.length + chunk.length);
    all.set(this.tail);
    all.set(chunk, this.tail.length);
    const at = Math.max(0, invalidUtf8At(all));
    let line = this.lines;
    for (let i = this.tail.length; i < at; i++) if (all[i] === 10) line++;
    const offset = this.bytes - this.tail.length + at;
    const byte = all[at]!.toString(16).toUpperCase().padStart(2, '0');
    return new LoadError(`${this.source} line ${line}: not UTF-8 text: invalid byte 0x${byte} at byte ${offset}; interphase reads UTF-8 — save the file as UTF-8 (e.g. from Latin-1)`, {
      source: this.source,
      line,
    });
  }
}

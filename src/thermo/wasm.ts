import { WASM_BASE64 } from '../generated/wasm-binary.js';

/** The raw exports of assembly/index.ts. */
interface KernelExports {
  memory: WebAssembly.Memory;
  heapBase(): number;
  workBytes(n: number, d: number): number;
  hullBatch(
    n: number,
    d: number,
    pts: number,
    alive: number,
    group: number,
    nq: number,
    queries: number,
    qExclude: number,
    outVal: number,
    outIdx: number,
    outLam: number,
    outPi: number,
    work: number,
  ): number;
  iterations(): number;
  segmentKinks(
    n: number,
    d: number,
    pts: number,
    alive: number,
    group: number,
    a: number,
    b: number,
    maxKinks: number,
    outT: number,
    outLeft: number,
    outRight: number,
    maxLines: number,
    lines: number,
    stack: number,
    work: number,
  ): number;
  segmentLines(): number;
  scanWorkBytes(n: number, d: number, nq: number): number;
  scanSystem(
    n: number,
    d: number,
    pts: number,
    group: number,
    state: number,
    elems: number,
    nu: number,
    order: number,
    tol: number,
    nq: number,
    queries: number,
    qorder: number,
    qOfPoint: number,
    signed: number,
    outVal: number,
    outIdx: number,
    outLam: number,
    work: number,
  ): number;
  batchScratchBytes(sys: number, entries: number, rows: number, groups: number, elements: number, d: number, own: number): number;
  batchMaxDims(): number;
  batchBind(desc: number): void;
  batchSolve(s0: number, s1: number, tol: number, withDecomp: number, qBase: number): number;
  batchQueries(): number;
  batchSlots(): number;
  scanPivots(): number;
  scanFullSolves(): number;
  scanResetCounters(): void;
}

function decodeBase64(b64: string): Uint8Array {
  // Node's Buffer decodes natively; the loop below runs in the interpreter on a cold start.
  const buffer = (globalThis as { Buffer?: { from(s: string, enc: string): Uint8Array } }).Buffer;
  if (buffer) return buffer.from(b64, 'base64');
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/**
 * One instance of the kernel with a bump arena over its linear memory. A batch allocates its
 * arrays, runs, reads results, then `reset()`s; nothing is freed individually.
 */
export class Kernel {
  readonly exports: KernelExports;
  private top: number;
  /** Where reset() returns to: the heap base, or above a reservation. */
  private base: number;
  private readonly floor: number;
  private views: { buf: ArrayBuffer; f64: Float64Array; i32: Int32Array; u8: Uint8Array } | undefined;

  constructor(module: WebAssembly.Module) {
    const instance = new WebAssembly.Instance(module, { env: { abort: kernelAbort } });
    this.exports = instance.exports as unknown as KernelExports;
    this.floor = (this.exports.heapBase() + 15) & ~15;
    this.base = this.floor;
    this.top = this.base;
  }

  reset(): void {
    this.top = this.base;
  }

  /**
   * Keeps `bytes` (8-aligned) from every reset until `release()`: a batch laid out once whose
   * caller runs other kernels in between (a system's LP fallback). Nothing else may be reserved.
   */
  reserve(bytes: number): number {
    this.top = this.base;
    const ptr = this.alloc(bytes);
    this.base = this.top;
    return ptr;
  }

  release(): void {
    this.base = this.floor;
    this.top = this.base;
  }

  /** Reserves `bytes` (8-aligned) and returns the pointer; grows memory when needed. */
  alloc(bytes: number): number {
    const ptr = (this.top + 7) & ~7;
    const end = ptr + bytes;
    const mem = this.exports.memory;
    if (end > mem.buffer.byteLength) {
      mem.grow(Math.ceil((end - mem.buffer.byteLength) / 65536));
    }
    this.top = end;
    return ptr;
  }

  /**
   * Views of the whole memory (index = byte address >> 3, >> 2, or itself), kept until memory
   * grows: writing a batch through them allocates nothing.
   */
  heap(): { f64: Float64Array; i32: Int32Array; u8: Uint8Array } {
    const buf = this.exports.memory.buffer;
    if (this.views?.buf !== buf) this.views = { buf, f64: new Float64Array(buf), i32: new Int32Array(buf), u8: new Uint8Array(buf) };
    return this.views;
  }

  f64(ptr: number, len: number): Float64Array {
    return new Float64Array(this.exports.memory.buffer, ptr, len);
  }
  i32(ptr: number, len: number): Int32Array {
    return new Int32Array(this.exports.memory.buffer, ptr, len);
  }
  u8(ptr: number, len: number): Uint8Array {
    return new Uint8Array(this.exports.memory.buffer, ptr, len);
  }
}

function kernelAbort(): never {
  throw new Error('interphase WASM kernel aborted');
}

let compiled: WebAssembly.Module | undefined;
let shared: Kernel | undefined;

/** The compiled module (synchronous: fine in Node and in workers, where there is no 4 KB limit). */
export function wasmModule(): WebAssembly.Module {
  compiled ??= new WebAssembly.Module(decodeBase64(WASM_BASE64) as BufferSource);
  return compiled;
}

let compiling: Promise<void> | undefined;

/**
 * Compiles asynchronously, for browser main threads where synchronous compilation is limited;
 * one compilation however many callers (the package starts it at import).
 */
export function initWasm(): Promise<void> {
  compiling ??= WebAssembly.compile(decodeBase64(WASM_BASE64) as BufferSource).then(
    (m) => {
      compiled ??= m;
      // Instantiated too while the caller is still loading its data: the first hull then starts at once.
      shared ??= new Kernel(compiled);
    },
    (e: unknown) => {
      compiling = undefined; // a later call tries again (a page may set the bytes first)
      throw e;
    },
  );
  return compiling;
}

/** The kernel of this thread, created on first use. */
export function kernel(): Kernel {
  shared ??= new Kernel(wasmModule());
  return shared;
}

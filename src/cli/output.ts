// Where a command's rows go: stdout (through the CLI's io) or a file, written in ~64 KB pieces as
// they are made and waiting for the stream to take them (backpressure), so an output of millions
// of rows needs the memory of one piece — never the whole text (`hull` on 1M rows built a 2 GB
// string; its table measured every row with Math.max(...widths) and overflowed the stack).
import { open, type FileHandle } from 'node:fs/promises';
import { fileErrorReason, type CliIO } from './args.js';

export interface Output {
  write(s: string): Promise<void>;
  close(): Promise<void>;
}

const PIECE = 1 << 16;

/** stdout through `io` (waiting on `io.drain`), or FILE. */
export async function openOutput(io: CliIO, file: string | undefined): Promise<Output> {
  let fh: FileHandle | undefined;
  if (file !== undefined) {
    fh = await open(file, 'w').catch((err: unknown) => {
      const reason = fileErrorReason(err);
      throw reason === undefined ? err : new Error(`cannot write ${file}: ${reason}`, { cause: err });
    });
  }
  let buf: string[] = [];
  let size = 0;
  const flush = async (): Promise<void> => {
    if (!size) return;
    const s = buf.join('');
    buf = [];
    size = 0;
    if (fh) await fh.write(s);
    else {
      io.stdout(s);
      await io.drain?.();
    }
  };
  return {
    async write(s) {
      buf.push(s);
      size += s.length;
      if (size >= PIECE) await flush();
    },
    async close() {
      await flush();
      await fh?.close();
      fh = undefined;
    },
  };
}

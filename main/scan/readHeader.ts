/**
 * Reads only the beginning of a file and parses its header; reads further only when the
 * header runs past what was read (large RT structure sets), never a whole multi-GB image.
 */
import { open } from 'node:fs/promises';
import { close, closeSync, fstat, fstatSync, open as openCb, openSync, read, readSync } from 'node:fs';
import { HEADER_ERROR, parseHeader } from '../../shared/dicom/index';
import type { HeaderResult } from '../../shared/schemas/scan';

export const HEADER_READ = {
  /** First read: CT headers are 1–10 KiB; vendor private blocks push a few to 10–40 KiB. */
  firstBytes: 16 * 1024,
  /** Each retry reads this many times more. */
  growth: 8,
  /** A header (RT structure set included) larger than this is refused, not slurped. */
  maxBytes: 64 * 1024 * 1024,
} as const;

function fsError(file: string, e: unknown): HeaderResult {
  const code = (e as NodeJS.ErrnoException)?.code ?? 'EIO';
  return { kind: 'error', file, code: 'FILE_UNREADABLE', message: `${file}: cannot read (${code})` };
}

function nextSize(current: number, size: number): number {
  return Math.min(size, current * HEADER_READ.growth, HEADER_READ.maxBytes);
}

function tooLarge(file: string, read: number): HeaderResult {
  return {
    kind: 'error',
    file,
    code: 'DICOM_HEADER_TOO_LARGE',
    message: `${file}: header continues past ${read} bytes; refused (limit ${HEADER_READ.maxBytes} bytes)`,
  };
}

const ignore = () => undefined;

/**
 * Reads the start of one file into `buf`: open, then read and fstat at the same time, then close
 * (not waited for: nothing depends on it). Callbacks, not fs/promises: each FileHandle step costs
 * a promise and a microtask, and this is the whole I/O of a scan (the bench floor uses it too).
 */
export function readPrefix(
  file: string,
  buf: Uint8Array,
  done: (e: NodeJS.ErrnoException | null, bytesRead: number, size: number) => void,
): void {
  openCb(file, 'r', (e, fd) => {
    if (e) return done(e, 0, 0);
    let pending = 2;
    let failure: NodeJS.ErrnoException | null = null;
    let bytesRead = 0;
    let size = 0;
    const settle = () => {
      if (--pending > 0) return;
      close(fd, ignore);
      done(failure, bytesRead, size);
    };
    read(fd, buf, 0, buf.length, 0, (re, n) => {
      failure ??= re;
      bytesRead = n;
      settle();
    });
    fstat(fd, (se, st) => {
      failure ??= se;
      if (st) size = st.size;
      settle();
    });
  });
}

/**
 * Parses a prefix read by readPrefix; null when the header runs past it (the caller then reads
 * the file with readAndParse, which grows its reads).
 */
export function parsePrefix(file: string, bytes: Uint8Array, size: number): HeaderResult | null {
  const r = parseHeader(bytes, { fileId: file, file, totalBytes: size });
  if (r.kind === 'error' && r.code === HEADER_ERROR.NEED_MORE_BYTES && bytes.length < size) return null;
  return r;
}

export { fsError as fileUnreadable };

/** Async version for the main thread (does not block the event loop). */
export async function readAndParse(file: string, firstBytes: number = HEADER_READ.firstBytes): Promise<HeaderResult> {
  let fh;
  try {
    fh = await open(file, 'r');
  } catch (e) {
    return fsError(file, e);
  }
  try {
    const size = (await fh.stat()).size;
    let want = Math.min(size, firstBytes);
    for (;;) {
      const buf = new Uint8Array(want);
      const { bytesRead } = await fh.read(buf, 0, want, 0);
      const bytes = bytesRead < want ? buf.subarray(0, bytesRead) : buf;
      const r = parseHeader(bytes, { fileId: file, file, totalBytes: size });
      if (r.kind !== 'error' || r.code !== HEADER_ERROR.NEED_MORE_BYTES || bytesRead < want) return r;
      if (want >= HEADER_READ.maxBytes) return tooLarge(file, want);
      want = nextSize(want, size);
    }
  } catch (e) {
    return fsError(file, e);
  } finally {
    await fh.close().catch(() => undefined);
  }
}

/**
 * Sync version for worker threads, where blocking is free and cheaper than callbacks. `scratch`
 * (HEADER_READ.firstBytes long, reused from call to call) takes the first read.
 */
export function readAndParseSync(file: string, scratch?: Uint8Array): HeaderResult {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (e) {
    return fsError(file, e);
  }
  try {
    const size = fstatSync(fd).size;
    let want = Math.min(size, HEADER_READ.firstBytes);
    for (;;) {
      const buf = !scratch || want > scratch.length ? new Uint8Array(want) : want === scratch.length ? scratch : scratch.subarray(0, want);
      const bytesRead = readSync(fd, buf, 0, want, 0);
      const bytes = bytesRead < want ? buf.subarray(0, bytesRead) : buf;
      const r = parseHeader(bytes, { fileId: file, file, totalBytes: size });
      if (r.kind !== 'error' || r.code !== HEADER_ERROR.NEED_MORE_BYTES || bytesRead < want) return r;
      if (want >= HEADER_READ.maxBytes) return tooLarge(file, want);
      want = nextSize(want, size);
    }
  } catch (e) {
    return fsError(file, e);
  } finally {
    try {
      closeSync(fd);
    } catch {
      /* already closed */
    }
  }
}

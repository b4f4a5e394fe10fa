/**
 * Reads only the beginning of a file and parses its header; reads further only when the
 * header runs past what was read (large RT structure sets), never a whole multi-GB image.
 */
import { open } from 'node:fs/promises';
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

function unreadable(file: string, e: unknown): HeaderResult {
  const code = (e as NodeJS.ErrnoException)?.code ?? 'EIO';
  return { kind: 'error', file, code: 'FILE_UNREADABLE', message: `${file}: cannot read (${code})` };
}

function tooLarge(file: string, read: number): HeaderResult {
  return {
    kind: 'error',
    file,
    code: 'DICOM_HEADER_TOO_LARGE',
    message: `${file}: header continues past ${read} bytes; refused (limit ${HEADER_READ.maxBytes} bytes)`,
  };
}

/** The header of one file, or a coded error naming it. Never throws. */
export async function readHeader(file: string): Promise<HeaderResult> {
  let fh;
  try {
    fh = await open(file, 'r');
  } catch (e) {
    return unreadable(file, e);
  }
  try {
    const size = (await fh.stat()).size;
    let want = Math.min(size, HEADER_READ.firstBytes);
    for (;;) {
      const buf = new Uint8Array(want);
      const { bytesRead } = await fh.read(buf, 0, want, 0);
      const bytes = bytesRead < want ? buf.subarray(0, bytesRead) : buf;
      const r = parseHeader(bytes, { fileId: file, file, totalBytes: size });
      if (r.kind !== 'error' || r.code !== HEADER_ERROR.NEED_MORE_BYTES || bytesRead < want) return r;
      if (want >= HEADER_READ.maxBytes) return tooLarge(file, want);
      want = Math.min(size, want * HEADER_READ.growth, HEADER_READ.maxBytes);
    }
  } catch (e) {
    return unreadable(file, e);
  } finally {
    await fh.close().catch(() => undefined);
  }
}

/**
 * multipart/related bodies (RFC 2387) as WADO-RS answers and STOW-RS requests carry them.
 * Binary-safe: parts are cut at the boundary in the bytes (or by a part's Content-Length when
 * it gives one), never through text decoding of DICOM data.
 */
import { err, ok, type Result } from '../errors';

export interface MultipartPart {
  contentType: string;
  body: Uint8Array;
}

const CRLF = [13, 10];

function indexOf(hay: Uint8Array, needle: Uint8Array, from: number): number {
  const first = needle[0];
  outer: for (let i = hay.indexOf(first, from); i !== -1 && i <= hay.length - needle.length; i = hay.indexOf(first, i + 1)) {
    for (let k = 1; k < needle.length; k++) if (hay[i + k] !== needle[k]) continue outer;
    return i;
  }
  return -1;
}

/** The boundary parameter of a Content-Type header (quoted or not). */
export function boundaryOf(contentType: string): string | null {
  const m = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  return m ? (m[1] ?? m[2]) : null;
}

export function parseMultipartRelated(bytes: Uint8Array, contentType: string): Result<MultipartPart[], string> {
  const boundary = boundaryOf(contentType);
  if (!/^multipart\//i.test(contentType.trim()) || !boundary) {
    // Some servers answer a single instance as plain application/dicom.
    if (/^application\/dicom/i.test(contentType.trim())) return ok([{ contentType: 'application/dicom', body: bytes }]);
    return err(`Content-Type '${contentType.slice(0, 80)}' is not multipart/related with a boundary`);
  }
  const enc = new TextEncoder();
  const delimiter = enc.encode(`--${boundary}`);
  const parts: MultipartPart[] = [];
  let pos = indexOf(bytes, delimiter, 0);
  if (pos < 0) return err('no boundary in the body (transfer cut off?)');
  for (;;) {
    pos += delimiter.length;
    if (bytes[pos] === 45 && bytes[pos + 1] === 45) break; // "--": closing delimiter
    // Skip to the end of the delimiter line.
    const lineEnd = indexOf(bytes, new Uint8Array(CRLF), pos);
    if (lineEnd < 0) return err('a part header is cut off');
    const headerEnd = indexOf(bytes, new Uint8Array([13, 10, 13, 10]), lineEnd);
    if (headerEnd < 0) return err('a part header is cut off');
    const headerText = new TextDecoder('latin1').decode(bytes.subarray(lineEnd + 2, headerEnd));
    const headers = new Map<string, string>();
    for (const line of headerText.split('\r\n')) {
      const i = line.indexOf(':');
      if (i > 0) headers.set(line.slice(0, i).trim().toLowerCase(), line.slice(i + 1).trim());
    }
    const start = headerEnd + 4;
    const declared = Number(headers.get('content-length'));
    let end: number;
    let nextDelim: number;
    if (Number.isInteger(declared) && declared >= 0) {
      end = start + declared;
      if (end > bytes.length) return err(`a part is cut off (${bytes.length - start} of ${declared} bytes)`);
      nextDelim = indexOf(bytes, delimiter, end);
    } else {
      nextDelim = indexOf(bytes, enc.encode(`\r\n--${boundary}`), start);
      end = nextDelim;
      if (nextDelim >= 0) nextDelim += 2;
    }
    if (nextDelim < 0) return err('the closing boundary is missing (transfer cut off?)');
    parts.push({ contentType: headers.get('content-type') ?? '', body: bytes.slice(start, end) });
    pos = nextDelim;
  }
  return ok(parts);
}

/** A STOW-RS body: each part with its Content-Type and Content-Length. */
export function buildMultipartRelated(parts: MultipartPart[], type: string, boundary = `frw-${Math.random().toString(36).slice(2)}-${Date.now().toString(36)}`): { body: Uint8Array; contentType: string } {
  const enc = new TextEncoder();
  const chunks: Uint8Array[] = [];
  for (const p of parts) {
    chunks.push(enc.encode(`--${boundary}\r\nContent-Type: ${p.contentType}\r\nContent-Length: ${p.body.length}\r\n\r\n`), p.body, enc.encode('\r\n'));
  }
  chunks.push(enc.encode(`--${boundary}--\r\n`));
  const total = chunks.reduce((n, c) => n + c.length, 0);
  const body = new Uint8Array(total);
  let o = 0;
  for (const c of chunks) {
    body.set(c, o);
    o += c.length;
  }
  return { body, contentType: `multipart/related; type="${type}"; boundary=${boundary}` };
}

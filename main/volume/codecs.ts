/**
 * Compressed pixel data in Node, with the same codec packages the viewer's
 * dicom-image-loader uses (WebAssembly builds of OpenJPEG and CharLS; the pure-JS JPEG
 * lossless decoder). Loaded lazily, once. Each returns little-endian sample bytes or a message.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

type Decoded = { ok: true; bytes: Uint8Array; bitsPerSample: number; signed: boolean } | { ok: false; message: string };

interface WasmDecoder {
  getEncodedBuffer(n: number): Uint8Array;
  decode(): void;
  getDecodedBuffer(): Uint8Array;
  getFrameInfo(): { width: number; height: number; bitsPerSample: number; componentCount: number; isSigned: boolean };
  delete?: () => void;
}

let openjpeg: Promise<{ J2KDecoder: new () => WasmDecoder }> | null = null;
let charls: Promise<{ JpegLSDecoder: new () => WasmDecoder }> | null = null;

export const J2K_SYNTAXES = new Set(['1.2.840.10008.1.2.4.90', '1.2.840.10008.1.2.4.91']);
export const JPEG_LS_SYNTAXES = new Set(['1.2.840.10008.1.2.4.80', '1.2.840.10008.1.2.4.81']);
export const JPEG_LOSSLESS_SYNTAXES = new Set(['1.2.840.10008.1.2.4.57', '1.2.840.10008.1.2.4.70']);

async function runWasm(decoder: WasmDecoder, frame: Uint8Array, pixelCount: number): Promise<Decoded> {
  try {
    decoder.getEncodedBuffer(frame.length).set(frame);
    decoder.decode();
    const info = decoder.getFrameInfo();
    if (info.componentCount !== 1) return { ok: false, message: `the codestream has ${info.componentCount} components; CT has 1` };
    if (info.width * info.height !== pixelCount) return { ok: false, message: `the codestream is ${info.width}×${info.height}, not the image size` };
    const out = decoder.getDecodedBuffer();
    return { ok: true, bytes: new Uint8Array(out), bitsPerSample: info.bitsPerSample, signed: info.isSigned };
  } catch (e) {
    return { ok: false, message: `decoding failed: ${e instanceof Error ? e.message : String(e)}` };
  } finally {
    decoder.delete?.();
  }
}

export async function decodeCompressedFrame(transferSyntaxUid: string, frame: Uint8Array, pixelCount: number): Promise<Decoded | null> {
  if (J2K_SYNTAXES.has(transferSyntaxUid)) {
    openjpeg ??= (require('@cornerstonejs/codec-openjpeg/decodewasmjs') as () => Promise<{ J2KDecoder: new () => WasmDecoder }>)();
    const m = await openjpeg;
    return runWasm(new m.J2KDecoder(), frame, pixelCount);
  }
  if (JPEG_LS_SYNTAXES.has(transferSyntaxUid)) {
    charls ??= (require('@cornerstonejs/codec-charls/decodewasmjs') as () => Promise<{ JpegLSDecoder: new () => WasmDecoder }>)();
    const m = await charls;
    return runWasm(new m.JpegLSDecoder(), frame, pixelCount);
  }
  if (JPEG_LOSSLESS_SYNTAXES.has(transferSyntaxUid)) {
    try {
      const { Decoder } = (await import('@cornerstonejs/jpeg-lossless-decoder-js')) as unknown as {
        Decoder: new () => { decode(buf: ArrayBuffer, offset: number, length: number, numBytes?: number): ArrayBufferLike | ArrayBufferView };
      };
      const copy = frame.slice();
      const out = new Decoder().decode(copy.buffer, 0, copy.byteLength, 2);
      const bytes = ArrayBuffer.isView(out) ? new Uint8Array(out.buffer, out.byteOffset, out.byteLength) : new Uint8Array(out);
      if (bytes.length < pixelCount * 2) return { ok: false, message: 'JPEG lossless frame decoded to too few samples' };
      return { ok: true, bytes: bytes.slice(0, pixelCount * 2), bitsPerSample: 16, signed: false };
    } catch (e) {
      return { ok: false, message: `decoding failed: ${e instanceof Error ? e.message : String(e)}` };
    }
  }
  return null;
}

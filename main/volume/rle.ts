/**
 * DICOM RLE Lossless decoding (PS3.5 Annex G): a 64-byte header (segment count + 15 offsets)
 * then PackBits segments, one per byte plane, most significant byte first. Returns the frame as
 * little-endian interleaved bytes (what an uncompressed frame would hold), or an error message.
 */
export function decodeRleFrame(
  frame: Uint8Array,
  pixelCount: number,
  bytesPerSample: number,
  samplesPerPixel = 1,
): { ok: true; bytes: Uint8Array } | { ok: false; message: string } {
  if (frame.length < 64) return { ok: false, message: 'RLE frame shorter than its 64-byte header' };
  const dv = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  const nSeg = dv.getUint32(0, true);
  const expected = bytesPerSample * samplesPerPixel;
  if (nSeg !== expected) return { ok: false, message: `RLE frame has ${nSeg} segments, expected ${expected}` };
  const offsets: number[] = [];
  for (let s = 0; s < nSeg; s++) offsets.push(dv.getUint32(4 + 4 * s, true));
  const out = new Uint8Array(pixelCount * expected);
  for (let s = 0; s < nSeg; s++) {
    const start = offsets[s];
    const end = s + 1 < nSeg ? offsets[s + 1] : frame.length;
    if (start < 64 || end > frame.length || end < start) return { ok: false, message: `RLE segment ${s + 1} has an invalid offset` };
    // Segment s holds byte (bytesPerSample - 1 - s % bytesPerSample) of sample floor(s / bytesPerSample).
    const sample = Math.floor(s / bytesPerSample);
    const byteInSample = bytesPerSample - 1 - (s % bytesPerSample);
    const stride = expected;
    const base = sample * bytesPerSample + byteInSample;
    let p = 0;
    let i = start;
    while (i < end && p < pixelCount) {
      const n = frame[i++];
      if (n < 128) {
        const count = n + 1;
        if (i + count > end) return { ok: false, message: `RLE segment ${s + 1} is truncated` };
        for (let c = 0; c < count && p < pixelCount; c++) out[base + stride * p++] = frame[i + c];
        i += count;
      } else if (n > 128) {
        const count = 257 - n;
        if (i >= end) return { ok: false, message: `RLE segment ${s + 1} is truncated` };
        const v = frame[i++];
        for (let c = 0; c < count && p < pixelCount; c++) out[base + stride * p++] = v;
      }
      // n === 128: no-op.
    }
    if (p < pixelCount) return { ok: false, message: `RLE segment ${s + 1} decodes to ${p} of ${pixelCount} pixels` };
  }
  return { ok: true, bytes: out };
}

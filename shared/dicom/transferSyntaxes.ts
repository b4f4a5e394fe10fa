/**
 * Transfer syntaxes the scanner recognises, by UID (DICOM PS3.6 Annex A).
 * `viewer`: the renderer's Cornerstone3D 5.14 dicom-image-loader has a decoder for it
 * (its decodeImageFrame switch) AND our header path can read the data set.
 * `node`: pixels can be decoded in Node without a codec (uncompressed, or RLE in plain TS),
 * which the CLI `analyze` command relies on.
 */
export interface TransferSyntaxInfo {
  name: string;
  viewer: boolean;
  node: boolean;
  /** How the data set (not the pixels) is encoded. */
  encoding: 'implicit-le' | 'explicit-le' | 'explicit-be' | 'deflated-explicit-le';
}

export const IMPLICIT_VR_LITTLE_ENDIAN = '1.2.840.10008.1.2';
export const EXPLICIT_VR_LITTLE_ENDIAN = '1.2.840.10008.1.2.1';
export const DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN = '1.2.840.10008.1.2.1.99';
export const EXPLICIT_VR_BIG_ENDIAN = '1.2.840.10008.1.2.2';

const le = 'explicit-le' as const;

export const TRANSFER_SYNTAXES: Readonly<Record<string, TransferSyntaxInfo>> = {
  [IMPLICIT_VR_LITTLE_ENDIAN]: { name: 'Implicit VR Little Endian', viewer: true, node: true, encoding: 'implicit-le' },
  [EXPLICIT_VR_LITTLE_ENDIAN]: { name: 'Explicit VR Little Endian', viewer: true, node: true, encoding: le },
  '1.2.840.10008.1.2.1.98': { name: 'Encapsulated Uncompressed Explicit VR Little Endian', viewer: true, node: false, encoding: le },
  // Cornerstone can decode deflated pixels, but dicom-parser inflates the data set only with
  // Node's zlib or a global pako; shared/ may use neither, so the header is reported unreadable.
  [DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN]: { name: 'Deflated Explicit VR Little Endian', viewer: false, node: false, encoding: 'deflated-explicit-le' },
  [EXPLICIT_VR_BIG_ENDIAN]: { name: 'Explicit VR Big Endian (retired)', viewer: true, node: true, encoding: 'explicit-be' },
  '1.2.840.10008.1.2.4.50': { name: 'JPEG Baseline (Process 1)', viewer: true, node: false, encoding: le },
  '1.2.840.10008.1.2.4.51': { name: 'JPEG Extended (Process 2 & 4)', viewer: true, node: false, encoding: le },
  '1.2.840.10008.1.2.4.53': { name: 'JPEG Extended (Process 6 & 8) (retired)', viewer: true, node: false, encoding: le },
  '1.2.840.10008.1.2.4.55': { name: 'JPEG Full Progression (Process 10 & 12) (retired)', viewer: true, node: false, encoding: le },
  '1.2.840.10008.1.2.4.57': { name: 'JPEG Lossless, Non-Hierarchical (Process 14)', viewer: true, node: false, encoding: le },
  '1.2.840.10008.1.2.4.70': { name: 'JPEG Lossless, Non-Hierarchical, First-Order Prediction (Process 14 SV1)', viewer: true, node: false, encoding: le },
  '1.2.840.10008.1.2.4.80': { name: 'JPEG-LS Lossless', viewer: true, node: false, encoding: le },
  '1.2.840.10008.1.2.4.81': { name: 'JPEG-LS Lossy (Near-Lossless)', viewer: true, node: false, encoding: le },
  '1.2.840.10008.1.2.4.90': { name: 'JPEG 2000 Image Compression (Lossless Only)', viewer: true, node: false, encoding: le },
  '1.2.840.10008.1.2.4.91': { name: 'JPEG 2000 Image Compression', viewer: true, node: false, encoding: le },
  '1.2.840.10008.1.2.4.92': { name: 'JPEG 2000 Part 2 Multi-component (Lossless Only)', viewer: false, node: false, encoding: le },
  '1.2.840.10008.1.2.4.93': { name: 'JPEG 2000 Part 2 Multi-component', viewer: false, node: false, encoding: le },
  '1.2.840.10008.1.2.4.94': { name: 'JPIP Referenced', viewer: false, node: false, encoding: le },
  '1.2.840.10008.1.2.4.95': { name: 'JPIP Referenced Deflate', viewer: false, node: false, encoding: 'deflated-explicit-le' },
  '1.2.840.10008.1.2.4.100': { name: 'MPEG2 Main Profile / Main Level', viewer: false, node: false, encoding: le },
  '1.2.840.10008.1.2.4.101': { name: 'MPEG2 Main Profile / High Level', viewer: false, node: false, encoding: le },
  '1.2.840.10008.1.2.4.102': { name: 'MPEG-4 AVC/H.264 High Profile / Level 4.1', viewer: false, node: false, encoding: le },
  '1.2.840.10008.1.2.4.103': { name: 'MPEG-4 AVC/H.264 BD-compatible High Profile / Level 4.1', viewer: false, node: false, encoding: le },
  '1.2.840.10008.1.2.4.104': { name: 'MPEG-4 AVC/H.264 High Profile / Level 4.2 For 2D Video', viewer: false, node: false, encoding: le },
  '1.2.840.10008.1.2.4.105': { name: 'MPEG-4 AVC/H.264 High Profile / Level 4.2 For 3D Video', viewer: false, node: false, encoding: le },
  '1.2.840.10008.1.2.4.106': { name: 'MPEG-4 AVC/H.264 Stereo High Profile / Level 4.2', viewer: false, node: false, encoding: le },
  '1.2.840.10008.1.2.4.107': { name: 'HEVC/H.265 Main Profile / Level 5.1', viewer: false, node: false, encoding: le },
  '1.2.840.10008.1.2.4.108': { name: 'HEVC/H.265 Main 10 Profile / Level 5.1', viewer: false, node: false, encoding: le },
  '1.2.840.10008.1.2.4.110': { name: 'JPEG XL Lossless', viewer: true, node: false, encoding: le },
  '1.2.840.10008.1.2.4.111': { name: 'JPEG XL JPEG Recompression', viewer: true, node: false, encoding: le },
  '1.2.840.10008.1.2.4.112': { name: 'JPEG XL', viewer: true, node: false, encoding: le },
  '1.2.840.10008.1.2.4.201': { name: 'High-Throughput JPEG 2000 Image Compression (Lossless Only)', viewer: true, node: false, encoding: le },
  '1.2.840.10008.1.2.4.202': { name: 'High-Throughput JPEG 2000 with RPCL Options Image Compression (Lossless Only)', viewer: true, node: false, encoding: le },
  '1.2.840.10008.1.2.4.203': { name: 'High-Throughput JPEG 2000 Image Compression', viewer: true, node: false, encoding: le },
  '1.2.840.10008.1.2.5': { name: 'RLE Lossless', viewer: true, node: true, encoding: le },
};

export function transferSyntaxName(uid: string | null): string | null {
  if (uid === null) return null;
  return TRANSFER_SYNTAXES[uid]?.name ?? null;
}

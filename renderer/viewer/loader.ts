import { imageLoader } from '@cornerstonejs/core';
import * as dicomImageLoader from '@cornerstonejs/dicom-image-loader';
import type { HostApi } from '../../shared/ipc/hostApi';
import type { Series } from '../../shared/schemas/scan';
import { appError, type AppError } from '../../shared/errors';
import { messageOf } from './errorText';

export { messageOf };

/**
 * Our image-loader scheme `frwfile:<load>/<index>`: the first time Cornerstone asks for an image
 * its Part 10 bytes are read through `HostApi.readFile(fileId)` and parsed by the wadouri
 * loader's data-set cache (dicom-parser), then decoded in a web worker. We use the loader's
 * dicom-parser metadata provider rather than 5.x's naturalized one: measured on the 134-slice
 * TCIA series, parsing every header took 1.2 s with the naturalized (dcmjs) path.
 * This lets the axial stack show its first slice while the other files are still being read,
 * and the volume loader find every slice's metadata in memory.
 */
export const IMAGE_SCHEME = 'frwfile';

/** Transfer syntaxes the DICOM image loader decodes (its decodeImageFrame switch, v5.14). */
export const DECODABLE_TRANSFER_SYNTAXES: Readonly<Record<string, string>> = {
  '1.2.840.10008.1.2': 'Implicit VR Little Endian',
  '1.2.840.10008.1.2.1': 'Explicit VR Little Endian',
  '1.2.840.10008.1.2.2': 'Explicit VR Big Endian',
  '1.2.840.10008.1.2.1.99': 'Deflated Explicit VR Little Endian',
  '1.2.840.10008.1.2.5': 'RLE Lossless',
  '1.2.840.10008.1.2.4.50': 'JPEG Baseline',
  '1.2.840.10008.1.2.4.51': 'JPEG Extended',
  '1.2.840.10008.1.2.4.57': 'JPEG Lossless',
  '1.2.840.10008.1.2.4.70': 'JPEG Lossless SV1',
  '1.2.840.10008.1.2.4.80': 'JPEG-LS Lossless',
  '1.2.840.10008.1.2.4.81': 'JPEG-LS Near-Lossless',
  '1.2.840.10008.1.2.4.90': 'JPEG 2000 Lossless',
  '1.2.840.10008.1.2.4.91': 'JPEG 2000',
  '3.2.840.10008.1.2.4.96': 'HTJ2K',
  '1.2.840.10008.1.2.4.201': 'HTJ2K Lossless',
  '1.2.840.10008.1.2.4.202': 'HTJ2K Lossless RPCL',
  '1.2.840.10008.1.2.4.203': 'HTJ2K',
  '1.2.840.10008.1.2.4.110': 'JPEG XL Lossless',
  '1.2.840.10008.1.2.4.111': 'JPEG XL JPEG Recompression',
  '1.2.840.10008.1.2.4.112': 'JPEG XL',
};

/** Why a series cannot be shown, before any byte is read; null when it can. */
export function seriesLoadProblem(series: Series): AppError | null {
  const file = series.instances[0]?.file;
  if (series.instances.length === 0) return appError('VIEWER_EMPTY_SERIES', 'This series has no image to show.');
  if (series.modality !== 'CT') {
    return appError(
      'VIEWER_NOT_CT',
      `This series is ${series.modality || 'of unknown modality'}, not CT: Hounsfield units and cortical measurements need a CT series.`,
      { file, field: 'Modality (0008,0060)' },
    );
  }
  const ts = series.transferSyntaxUid;
  if (ts && !(ts in DECODABLE_TRANSFER_SYNTAXES)) {
    return appError(
      'VIEWER_UNSUPPORTED_TRANSFER_SYNTAX',
      `Transfer syntax ${series.transferSyntaxName ?? ''} (${ts}) cannot be decoded by the viewer.`.replace('  ', ' '),
      { file, field: 'TransferSyntaxUID (0002,0010)' },
    );
  }
  return null;
}

interface Entry {
  host: HostApi;
  fileId: string;
  file: string;
  parsed: boolean;
}
const entries = new Map<string, Entry>();
let loadCounter = 0;
let registered = false;

function ensureRegistered() {
  if (registered) return;
  registered = true;
  imageLoader.registerImageLoader(IMAGE_SCHEME, (imageId, options) => {
    const url = urlOf(imageId);
    const dataSet = dicomImageLoader.wadouri.dataSetCacheManager.load(url, readRequest as never, imageId);
    return dicomImageLoader.wadouri.loadImageFromPromise(dataSet as never, imageId, 0, url, options as never) as never;
  });
}

const urlOf = (imageId: string) => imageId.slice(IMAGE_SCHEME.length + 1);

/** The loader's request function: the file's bytes from the host (coded error on failure). */
async function readRequest(_url: string, imageId: string): Promise<ArrayBuffer> {
  const e = entries.get(imageId);
  if (!e) throw appError('VIEWER_UNKNOWN_IMAGE', `No file is known for image ${imageId}.`);
  try {
    return await e.host.readFile(e.fileId);
  } catch (error) {
    throw appError('VIEWER_READ_FAILED', `Could not read the file: ${messageOf(error)}`, { file: e.file });
  }
}

/**
 * Read (once) and parse the header of the file behind an image id (dicom-parser, kept in the
 * loader's data-set cache, where Cornerstone's metadata provider finds it).
 */
export async function ensureBytes(imageId: string): Promise<void> {
  const e = entries.get(imageId);
  if (!e) throw appError('VIEWER_UNKNOWN_IMAGE', `No file is known for image ${imageId}.`);
  if (e.parsed) return;
  try {
    await dicomImageLoader.wadouri.dataSetCacheManager.load(urlOf(imageId), readRequest as never, imageId);
    e.parsed = true;
  } catch (error) {
    throw isAppError(error) ? error : appError('VIEWER_PARSE_FAILED', `The file is not readable DICOM: ${messageOf(error)}`, { file: e.file });
  }
}

export function fileOfImageId(imageId: string): string | undefined {
  return entries.get(imageId)?.file;
}

/** Image ids for a series' instances, in the series' (position-sorted) order. */
export function imageIdsForSeries(host: HostApi, series: Series): string[] {
  ensureRegistered();
  const load = ++loadCounter;
  return series.instances.map((inst, index) => {
    const imageId = `${IMAGE_SCHEME}:${load}/${index}`;
    entries.set(imageId, { host, fileId: inst.fileId, file: inst.file, parsed: false });
    return imageId;
  });
}

/** Forget the files of a closed series (the decoded images live in Cornerstone's cache). */
export function releaseImageIds(imageIds: readonly string[]): void {
  for (const id of imageIds) entries.delete(id);
  // One series at a time: drop every parsed file (the Part 10 bytes) of the previous one.
  dicomImageLoader.wadouri.dataSetCacheManager.purge();
}

/**
 * Read every file of the series (a few at a time: the host may be IPC or File API) so that the
 * volume loader finds all metadata. Stops at the first error or when `signal` aborts.
 */
export async function readAllBytes(
  imageIds: readonly string[],
  signal: AbortSignal,
  onProgress: (done: number, total: number) => void,
  concurrency = 6,
): Promise<void> {
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < imageIds.length) {
      if (signal.aborted) throw appError('VIEWER_CANCELLED', 'Loading was cancelled.');
      const id = imageIds[next++];
      await ensureBytes(id);
      done++;
      onProgress(done, imageIds.length);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, imageIds.length) }, worker));
}

export function isAppError(x: unknown): x is AppError {
  return !!x && typeof x === 'object' && typeof (x as AppError).code === 'string' && typeof (x as AppError).message === 'string';
}

import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project's root, and the shared real DICOM data beside it (../shared/data; never copied in). */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const DATA_DIR = resolve(ROOT, '..', 'shared', 'data');
export const TCIA_DIR = resolve(DATA_DIR, 'tcia-pancreas-planning-ct');

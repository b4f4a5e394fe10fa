/**
 * Imported first by main.tsx. zod builds a faster parser with `new Function` when it may; it
 * finds out by trying once, when the first object schema is created. The CSP forbids eval, so
 * the try only produces a CSP violation report. `jitless` tells zod not to try at all.
 */
import { z } from 'zod';

z.config({ jitless: true });

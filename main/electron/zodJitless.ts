/**
 * Imported first by the preload: zod would probe `new Function` (eval) when its first object
 * schema is built; in the sandboxed preload that is pointless and may be refused by the page's
 * CSP. `jitless` makes zod skip the probe.
 */
import { z } from 'zod';

z.config({ jitless: true });

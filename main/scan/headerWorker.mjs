// Bootstrap of a header-pool worker: TypeScript sources run through tsx both under the `tsx`
// CLI and under Vitest (whose loader does not reach worker threads).
import { register } from 'tsx/esm/api';

register();
await import('./headerWorker.ts');

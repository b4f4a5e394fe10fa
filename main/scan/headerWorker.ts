/** Worker-thread side of the header pool (bundled by pool.ts): reads + parses the files it is sent, in batches. */
import { parentPort } from 'node:worker_threads';
import { HEADER_READ, readAndParseSync } from './readHeader';

export type PoolRequest = { token: number; id: number; files: string[] };
export type PoolReply = { token: number; id: number; results: ReturnType<typeof readAndParseSync>[] };

const port = parentPort;
const scratch = new Uint8Array(HEADER_READ.firstBytes);
if (port) {
  port.on('message', (m: PoolRequest) => {
    port.postMessage({ token: m.token, id: m.id, results: m.files.map((f) => readAndParseSync(f, scratch)) } satisfies PoolReply);
  });
  port.postMessage({ ready: true });
}

import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

setFlagsFromString('--expose-gc');
const collect = runInNewContext('gc') as () => void;

/** Bytes of the JS heap in use after a full collection: what an in-process agent keeps alive. */
export async function heapUsedAfterGc(): Promise<number> {
  // Twice, with a tick between: weak callbacks and finalizers of the first pass free more.
  collect();
  await new Promise((resolve) => setImmediate(resolve));
  collect();
  return process.memoryUsage().heapUsed;
}

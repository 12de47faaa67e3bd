import type { AddressInfo } from 'node:net';
import { createDemoBackend, type DemoBackendOptions, type DemoBackendStats } from '../demo-backend/server.ts';

export interface RunningDemoBackend {
  url: string;
  stats(): Promise<DemoBackendStats>;
  close(): Promise<void>;
}

/** Starts the real demo backend in this process on a free port. */
export async function startDemoBackend(
  options: Partial<DemoBackendOptions> = {},
): Promise<RunningDemoBackend> {
  const server = createDemoBackend(options);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    stats: async () => (await (await fetch(`${url}/stats`)).json()) as DemoBackendStats,
    close: async () => {
      // Hanging T-order requests and keep-alive sockets would hold close() open.
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

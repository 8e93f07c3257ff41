/**
 * The real server for the benchmarks: the app that `pnpm start` serves, listening on
 * a free loopback port in this process. Imports the app only when called, after the
 * caller has set up what must come first (download.ts swaps in a counting WebSocket
 * before the SDK loads).
 */
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface RealServer {
  url: string;
  stop(): Promise<void>;
}

export async function startRealServer(): Promise<RealServer> {
  const port = await freePort();
  const { listen } = await import('@colyseus/tools');
  const { appConfig } = await import('../src/app.ts');
  // Every bench player joins from this one address: per-address limits would refuse them (SPEC ROOM-11).
  process.env.ADDRESS_LIMITS ??= 'off';
  // Benchmark rounds stay out of the project's data directory (and are never restored by `pnpm start`).
  process.env.DATA_DIR ??= mkdtempSync(join(tmpdir(), 'roundtrip-bench-data-'));
  // listen() adds NODE_APP_INSTANCE (set by pm2) to the port; this one serves exactly `port`.
  delete process.env.NODE_APP_INSTANCE;
  const server = await listen(appConfig, port);
  return { url: `http://127.0.0.1:${port}`, stop: () => server.gracefullyShutdown(false) };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

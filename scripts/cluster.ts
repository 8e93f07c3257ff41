/**
 * `pnpm start:cluster`: one server process per core, sharing Redis (SPEC SCALE-1).
 * Needs REDIS_URL. Process i listens on PORT + i (PORT default 2567) and tells
 * clients to reach its rooms at PUBLIC_HOST:PORT+i (PUBLIC_HOST: the address the
 * class opens, default localhost); each accepts pages from its siblings' origins.
 * WORKERS sets the number of processes (default: the cores). Only the first
 * restores rooms saved before a restart. Stops them all on Ctrl-C / SIGTERM, or
 * when one of them dies.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const env = process.env;
if (!env.REDIS_URL) {
  console.error('start:cluster needs REDIS_URL (e.g. REDIS_URL=redis://127.0.0.1:6379); see docs/HOSTING.md');
  process.exit(2);
}
const workers = Number(env.WORKERS ?? availableParallelism());
const basePort = Number(env.PORT ?? 2567);
const host = env.PUBLIC_HOST ?? 'localhost';
if (!Number.isInteger(workers) || workers < 1 || !Number.isInteger(basePort) || basePort + workers > 65_535) {
  console.error(
    `WORKERS must be a whole number ≥ 1 and PORT + WORKERS a TCP port (got ${env.WORKERS}, ${env.PORT})`,
  );
  process.exit(2);
}
const ports = Array.from({ length: workers }, (_, i) => basePort + i);
const siblings = ports.map((p) => `http://${host}:${p}`);
const allowed = [...(env.ALLOWED_ORIGINS ? env.ALLOWED_ORIGINS.split(',') : []), ...siblings].join(',');

let stopping = false;
const children: ChildProcess[] = ports.map((port, i) =>
  spawn(process.execPath, ['packages/server/src/main.ts'], {
    cwd: root,
    stdio: 'inherit',
    env: {
      ...env,
      PORT: String(port),
      PUBLIC_ADDRESS: `${host}:${port}`,
      ALLOWED_ORIGINS: allowed,
      ...(i > 0 ? { RESTORE_ROOMS: 'off' } : {}),
    },
  }),
);
console.log(`${workers} Roundtrip processes on ports ${ports.join(', ')}; open http://${host}:${basePort}`);

function stopAll(): void {
  stopping = true;
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGTERM');
}
for (const c of children)
  c.on('exit', (code) => {
    if (!stopping) {
      console.error(`a server process exited (${code}); stopping the others`);
      process.exitCode = 1;
    }
    stopAll();
  });
process.on('SIGINT', stopAll);
process.on('SIGTERM', stopAll);

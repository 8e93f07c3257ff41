/**
 * `pnpm dev`: the game server (restarting on change) plus Vite with hot reload.
 * Open the URL Vite prints; it proxies the game server.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const children: ChildProcess[] = [
  // Vite's page (port 5173) is another origin than the server's: allow it (SPEC ROOM-10).
  spawn(process.execPath, ['--watch', 'packages/server/src/main.ts'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, ALLOWED_ORIGINS: process.env.ALLOWED_ORIGINS ?? 'http://localhost:5173' },
  }),
  spawn(process.execPath, [resolve(root, 'apps/client/node_modules/vite/bin/vite.js')], {
    cwd: resolve(root, 'apps/client'),
    stdio: 'inherit',
  }),
];

function stopAll(): void {
  for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
}
for (const c of children) c.on('exit', stopAll);
process.on('SIGINT', stopAll);
process.on('SIGTERM', stopAll);

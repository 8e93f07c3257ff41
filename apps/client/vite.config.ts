import { defineConfig } from 'vite';
import { sharedCodeId } from './src/build/sharedCodeId.ts';

// Vite strips types itself; `tsc -p tsconfig.json` at the root type-checks.
// In dev the Colyseus server (port 2567) is reached through the /colyseus prefix:
// proxying '/' with ws would also swallow Vite's own HMR socket.
export default defineConfig(({ command }) => {
  // SPEC SYNC-10: a built page carries the id of the code it shares with the server, and
  // dist/build.json tells the server which id the pages it serves carry. A dev page has
  // none (Vite reloads it as the code changes), so it is never told it is out of date.
  const build = command === 'build' ? sharedCodeId() : '';
  return {
    base: './',
    define: { __ROUNDTRIP_BUILD__: JSON.stringify(build) },
    build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 2500 },
    plugins: [
      {
        name: 'roundtrip-build-id',
        apply: 'build',
        generateBundle() {
          this.emitFile({ type: 'asset', fileName: 'build.json', source: `${JSON.stringify({ build })}\n` });
        },
      },
    ],
    server: {
      port: 5173,
      proxy: {
        '/colyseus': {
          target: 'http://localhost:2567',
          ws: true,
          changeOrigin: true,
          rewrite: (path) => path.replace(/^\/colyseus/, ''),
        },
      },
    },
  };
});

import { defineConfig } from 'vite';

// Vite strips types itself; `tsc -p tsconfig.json` at the root type-checks.
// In dev the Colyseus server (port 2567) is reached through the /colyseus prefix:
// proxying '/' with ws would also swallow Vite's own HMR socket.
export default defineConfig({
  base: './',
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 2500 },
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
});

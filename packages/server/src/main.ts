/** `pnpm start`: serves the class room, the HTTP routes and the built client on PORT (default 2567). */
const portText = process.env.PORT ?? '2567';
const port = Number(portText);
if (!Number.isInteger(port) || port <= 0 || port > 65_535) {
  console.error(`PORT must be a TCP port number (1-65535), got "${portText}"`);
  process.exit(2);
}

// Imported only now: @colyseus/tools reloads /etc/environment and .env files on import, which could change PORT.
const { listen } = await import('@colyseus/tools');
const { appConfig } = await import('./app.ts');
// listen() adds NODE_APP_INSTANCE (set by pm2) to the port; this process serves exactly PORT.
delete process.env.NODE_APP_INSTANCE;
const { log } = await import('./logger.ts');
await listen(appConfig, port);
log.info({ port }, `Roundtrip server listening on http://localhost:${port}`);

// No static imports above (see why at the dynamic imports), so say that this file is a module.
export {};

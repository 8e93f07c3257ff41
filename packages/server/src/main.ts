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
const server = await listen(appConfig, port);
// After the rooms' last checkpoints (SIGTERM, SIGINT): the store stops its WAL checkpointer and truncates the WAL.
const { closeServerStore } = await import('./persistence.ts');
server.onShutdown(closeServerStore);
const { classOrigin } = await import('./publicAddress.ts');
const { networkInterfaces } = await import('node:os');
// What to put on the projector (SPEC CLASS-1): the address phones on the class network can open.
const forClass = classOrigin({
  publicUrl: process.env.PUBLIC_URL,
  requestHost: `localhost:${port}`,
  protocol: 'http',
  interfaces: networkInterfaces(),
});
log.info({ port }, `Roundtrip server listening on http://localhost:${port}`);
console.log(
  forClass
    ? `Students join at ${forClass} (open it on this machine to host; set PUBLIC_URL if they reach it another way)`
    : 'No network address found: students on other devices cannot reach this machine. Connect it to the class network, or set PUBLIC_URL.',
);

// No static imports above (see why at the dynamic imports), so say that this file is a module.
export {};

import { existsSync } from 'node:fs';
import type { Server } from 'node:http';
import { networkInterfaces } from 'node:os';
import { resolve } from 'node:path';
import { defineRoom, matchMaker } from '@colyseus/core';
import config from '@colyseus/tools';
import { WebSocketTransport } from '@colyseus/ws-transport';
import { CLASS_ROOM } from '@roundtrip/protocol';
import express from 'express';
import { ClassRoom } from './ClassRoom.ts';
import { CLIENT_DIST_DIR } from './clientBuild.ts';
import { MAX_PAYLOAD_BYTES, withCloseReasons } from './closeReasons.ts';
import { Heartbeat, type Pingable } from './heartbeat.ts';
import { historyRoutes } from './history.ts';
import { guardHttp } from './httpGuard.ts';
import { lessons } from './lessons.ts';
import { colyseusLogger, log, warnLimited } from './logger.ts';
import { countSentBytes, metricsAccess, registry } from './metrics.ts';
import { originAllowed, originPolicy } from './origin.ts';
import { serverStore } from './persistence.ts';
import { classOrigin } from './publicAddress.ts';
import { guardMatchmaking } from './reservations.ts';
import { restoreRooms } from './restore.ts';
import { scaleOutOptions } from './scaleOut.ts';

export { CLIENT_DIST_DIR, servedBuild } from './clientBuild.ts';
export { MAX_PAYLOAD_BYTES } from './closeReasons.ts';

/** A client socket as ws gives it, for the wrappers at connection. */
type WsSocket = Parameters<typeof withCloseReasons>[0] & Parameters<typeof countSentBytes>[0] & Pingable;

/** Paths the single-page-app fallback leaves alone. */
const NOT_THE_CLIENT = /^\/(api|health|metrics|matchmake|__healthcheck)(\/|$)/;

/**
 * The server: the class room, the HTTP routes and the built client. Used by
 * main.ts (`listen`) and by the integration tests (`@colyseus/testing` `boot`).
 */
export const appConfig = config({
  // REDIS_URL: presence and room listing in Redis, for several processes (SPEC SCALE-1).
  options: { greet: false, logger: colyseusLogger, ...(await scaleOutOptions()) },
  displayLogs: false,
  initializeTransport: (options: { server?: Server }) => {
    const policy = originPolicy();
    if (options.server) guardHttp(options.server, policy);
    guardMatchmaking();
    const transport = new WebSocketTransport({
      ...options,
      maxPayload: MAX_PAYLOAD_BYTES,
      // Silent connections are found by our Heartbeat, a slice of the clients at a time (SPEC SYNC-8).
      pingInterval: 0,
      // Another site's page may not open a socket here either (SPEC ROOM-10).
      beforeUpgrade: (request) => {
        const origin = request.headers.get('origin');
        if (originAllowed(origin, request.headers.get('host'), policy)) return;
        warnLimited('origin', { origin }, 'refused a WebSocket from another site');
        return new Response(`this server accepts connections from its own pages only (not ${origin})`, {
          status: 403,
        });
      },
    });
    // After Colyseus' own listener, before any frame arrives (SPEC MSG-5). `wss` is protected in its types.
    const wss = (
      transport as unknown as {
        wss: { on(e: 'connection', f: (ws: WsSocket) => void): void; on(e: 'close', f: () => void): void };
      }
    ).wss;
    wss.on('connection', withCloseReasons);
    wss.on('connection', countSentBytes);
    const heartbeat = new Heartbeat();
    wss.on('connection', (ws) => heartbeat.watch(ws));
    wss.on('close', () => heartbeat.stop());
    return transport;
  },
  rooms: { [CLASS_ROOM]: defineRoom(ClassRoom) },
  // Rooms saved before a restart come back before anyone can connect (SPEC PERSIST-4).
  beforeListen: async () => {
    const store = serverStore();
    // Of several processes on one data directory, one restores the saved rooms (RESTORE_ROOMS=off on the others).
    const restored = process.env.RESTORE_ROOMS === 'off' ? 0 : await restoreRooms(store);
    log.info({ database: store.path, restored }, 'data directory open');
  },
  initializeExpress: (app) => {
    app.get('/health', async (_req, res) => {
      const rooms = (await matchMaker.query({ name: CLASS_ROOM })).length;
      res.json({ status: 'ok', rooms, uptimeS: Math.round(process.uptime()) });
    });
    // Figures for an operator's Prometheus (SPEC OPS-1); who may read them: metricsAccess.
    app.get('/metrics', async (req, res) => {
      const access = metricsAccess(req);
      if (access === 'off') return res.status(404).type('text/plain').send('metrics are off (METRICS=off)\n');
      if (access === 'forbidden')
        return res
          .status(403)
          .type('text/plain')
          .send('metrics are served to this machine only, or with the METRICS_TOKEN as a bearer token\n');
      res.type(registry.contentType).send(await registry.metrics());
    });
    // The lessons in the scenario files, in lesson order; a broken file is a 500 that names it.
    app.get('/api/lessons', (_req, res) => {
      try {
        res.json(lessons());
      } catch (e) {
        res.status(500).json({ error: e instanceof Error ? e.message : String(e) });
      }
    });
    // The address students open, for the lobby's link and QR code (SPEC CLASS-1): never localhost.
    app.get('/api/address', (req, res) => {
      try {
        res.json({
          origin: classOrigin({
            publicUrl: process.env.PUBLIC_URL,
            // The page's own host (`?host=`; in dev the Vite proxy rewrites Host to the server's port).
            requestHost:
              typeof req.query.host === 'string' && /^[\w.:[\]-]{1,255}$/.test(req.query.host)
                ? req.query.host
                : req.get('host'),
            protocol: req.protocol,
            interfaces: networkInterfaces(),
          }),
        });
      } catch (e) {
        res
          .status(500)
          .json({ error: `PUBLIC_URL is not a URL: ${e instanceof Error ? e.message : String(e)}` });
      }
    });
    app.use(historyRoutes());
    app.use(express.static(CLIENT_DIST_DIR));
    // Client-side routes get index.html; without a build, say how to make one.
    app.use((req, res, next) => {
      if (req.method !== 'GET' || NOT_THE_CLIENT.test(req.path)) return next();
      const index = resolve(CLIENT_DIST_DIR, 'index.html');
      if (existsSync(index)) return res.sendFile(index);
      res
        .status(503)
        .type('text/plain')
        .send(
          `The client is not built yet (no ${CLIENT_DIST_DIR}). Run \`pnpm build\` (or \`pnpm start\`), then reload.\n`,
        );
    });
  },
});

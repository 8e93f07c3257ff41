import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressLimits, type AddressRequest, limitMessage } from './addressLimits.ts';
import { warnLimited } from './logger.ts';
import { type OriginPolicy, originAllowed } from './origin.ts';

/** Matchmaking calls that reserve a seat, by what they cost (SPEC ROOM-11). */
const MATCHMAKE = /^\/matchmake\/(create|join|joinById|joinOrCreate)\//;

/** Room creations and seat reservations per client address, for this process. */
export const addressLimits = new AddressLimits();

/** The client's address: the socket's peer, or the proxy's `X-Forwarded-For` when TRUST_PROXY=1. */
export function clientAddress(req: IncomingMessage): string {
  const forwarded = req.headers['x-forwarded-for'];
  if (process.env.TRUST_PROXY === '1' && typeof forwarded === 'string')
    return forwarded.split(',')[0]?.trim() || 'unknown';
  return req.socket.remoteAddress ?? 'unknown';
}

function refuse(res: ServerResponse, status: number, error: string): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ code: status, error }));
}

/**
 * The checks every HTTP request passes before Colyseus' router or Express sees it:
 * another site's page is refused (SPEC ROOM-10), and matchmaking calls are counted
 * per address (SPEC ROOM-11). Also sets `X-Real-IP` to the address it counted, which
 * Colyseus reads as the client's address (instead of a header the client chose).
 * Returns true when it answered the request itself.
 */
function screen(req: IncomingMessage, res: ServerResponse, policy: OriginPolicy): boolean {
  const address = clientAddress(req);
  req.headers['x-real-ip'] = address;
  if (!originAllowed(req.headers.origin, req.headers.host, policy)) {
    warnLimited('origin', { address, origin: req.headers.origin }, 'refused a request from another site');
    refuse(res, 403, `this server accepts requests from its own pages only (not ${req.headers.origin})`);
    return true;
  }
  const call = req.method === 'POST' ? MATCHMAKE.exec(req.url ?? '')?.[1] : undefined;
  if (call === undefined || process.env.ADDRESS_LIMITS === 'off') return false;
  const kind: AddressRequest = call === 'joinById' || call === 'join' ? 'join' : 'create';
  if (addressLimits.take(kind, address, Date.now())) return false;
  warnLimited(`limit-${kind}`, { address }, 'refused a request over its address limit');
  refuse(res, 429, limitMessage(kind));
  return true;
}

/** Puts `screen` in front of every request `server` receives. */
export function guardHttp(server: Server, policy: OriginPolicy): void {
  const emit = server.emit.bind(server) as (event: string, ...args: unknown[]) => boolean;
  server.emit = ((event: string, ...args: unknown[]) => {
    if (event === 'request' && screen(args[0] as IncomingMessage, args[1] as ServerResponse, policy))
      return true;
    return emit(event, ...args);
  }) as Server['emit'];
}

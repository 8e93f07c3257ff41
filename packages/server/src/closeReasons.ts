/**
 * Every close the server makes carries a reason a person can read (SPEC MSG-5).
 * Colyseus and ws close some sockets with a code alone (a frame too large: 1009;
 * a seat taken over, a server stopping, a failed room: 4002/4001); each socket's
 * `close` is wrapped at connection so a close without a reason gets one.
 */
import { CloseCode } from '@colyseus/core';

/** Largest WebSocket frame a client may send (Colyseus' default is 4 KiB); ws closes with 1009 past it. */
export const MAX_PAYLOAD_BYTES = 64 * 1024;

/** A socket as ws gives it: closed with a code and a reason. */
interface Closable {
  close(code?: number, reason?: string | Buffer): void;
}

/** What a close with `code` and no reason of its own says. */
export function defaultCloseReason(code: number | undefined): string | undefined {
  switch (code) {
    case 1009:
      return `disconnected: a message was too large (over ${MAX_PAYLOAD_BYTES / 1024} KiB)`;
    case CloseCode.SERVER_SHUTDOWN:
      return 'the server is restarting; your place is kept';
    case CloseCode.WITH_ERROR:
      return 'disconnected by the server after an error';
    case CloseCode.FAILED_TO_RECONNECT:
      return 'could not take your place back; join again with the code';
    case CloseCode.MAY_TRY_RECONNECT:
      return 'the server is reloading; reconnecting';
    default:
      return undefined;
  }
}

/** The close reason of a socket replaced by the same player's new connection (SPEC ROOM-7). */
export const TAKEOVER_REASON =
  'your seat was taken over by a newer connection of yours (another tab or network)';

const pending = new WeakMap<object, string>();

/** The next close of `socket` without a reason of its own says `reason`. */
export function closeReasonFor(socket: object, reason: string): void {
  pending.set(socket, reason);
}

/** Wraps `socket.close` so that a close without a reason gets the one set for it, or its code's. */
export function withCloseReasons(socket: Closable): void {
  const close = socket.close.bind(socket);
  socket.close = (code?: number, reason?: string | Buffer) => {
    const text = reason && reason.length > 0 ? reason : (pending.get(socket) ?? defaultCloseReason(code));
    // A close frame's reason is at most 123 bytes.
    close(code, text === undefined ? undefined : Buffer.from(text).subarray(0, 123));
  };
}

/**
 * One socket write per client for what a room sends in one go. A WebSocket frame
 * is a write of its own (a system call) unless the socket under it is corked; a
 * busy server spent half its time in those writes (docs/PERFORMANCE.md "Rooms on
 * one process").
 */
import type { Client } from '@colyseus/core';

interface Corkable {
  cork(): void;
  uncork(): void;
}

/** The TCP socket under a WebSocket client (the `ws` library keeps it in `_socket`), if there is one. */
function socketOf(client: Client): Corkable | undefined {
  return (client.ref as { _socket?: Corkable } | undefined)?._socket;
}

/**
 * Runs `send` with every client's socket corked, so the frames it sends a client
 * leave in one write (one system call) instead of one each.
 */
export function corked(clients: readonly Client[], send: () => void): void {
  for (const c of clients) socketOf(c)?.cork();
  try {
    send();
  } finally {
    for (const c of clients) socketOf(c)?.uncork();
  }
}

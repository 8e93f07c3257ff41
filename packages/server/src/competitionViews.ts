import type { Client } from '@colyseus/core';
import { StateView } from '@colyseus/schema';
import type { CopyState, Player, RoomState } from '@roundtrip/protocol';

/** What a view can hold here: a copy's figures or a player. */
type Shown = CopyState | Player;

/** Who a connection is, for what it may see of a competition. */
export type Watcher = { kind: 'all' } | { kind: 'team'; copy: number } | { kind: 'none' };

/**
 * What each connection of a competition receives of the fields tagged `.view()`
 * (SPEC COMP-4): a player sees their own team's copy and teammates' seats and scores;
 * the host and projectors see every team; once the round has ended, so does everyone.
 * Each connection has a StateView of its own, brought in line with that rule before
 * every patch — a competition holds at most MAX_PLAYERS players and 8 copies, so the
 * comparison is cheap. Class rooms have no tagged fields and no views.
 */
export class CompetitionViews {
  /** What each connection's view holds, by session id (the view itself cannot list it). */
  private readonly shown = new Map<string, Set<Shown>>();

  /** Gives `client` a view before its first full state leaves, and fills it. */
  attach(client: Client, state: RoomState, who: Watcher, ended: boolean): void {
    client.view = new StateView();
    this.shown.set(client.sessionId, new Set());
    this.syncOne(client, state, who, ended);
  }

  forget(sessionId: string): void {
    this.shown.delete(sessionId);
  }

  /** Every connection's view holds exactly what it may see now. */
  sync(clients: readonly Client[], state: RoomState, whoIs: (c: Client) => Watcher, ended: boolean): void {
    for (const client of clients) this.syncOne(client, state, whoIs(client), ended);
  }

  private syncOne(client: Client, state: RoomState, who: Watcher, ended: boolean): void {
    const view = client.view;
    const shown = this.shown.get(client.sessionId);
    if (!view || !shown) return;
    const wanted = visibleTo(state, ended ? { kind: 'all' } : who);
    for (const obj of shown) {
      if (wanted.has(obj)) continue;
      shown.delete(obj);
      // Gone from the state (a player who left): the encoder already dropped it.
      if (isAttached(state, obj)) view.remove(obj);
    }
    for (const obj of wanted) {
      if (shown.has(obj)) continue;
      shown.add(obj);
      view.add(obj);
    }
  }
}

/** The copies and players `who` may see the tagged fields of. */
export function visibleTo(state: RoomState, who: Watcher): Set<Shown> {
  const out = new Set<Shown>();
  if (who.kind === 'none') return out;
  const all = who.kind === 'all';
  state.copies.forEach((c) => {
    if (all || c.index === who.copy) out.add(c);
  });
  state.players.forEach((p) => {
    if (all || p.copy === who.copy) out.add(p);
  });
  return out;
}

function isAttached(state: RoomState, obj: Shown): boolean {
  for (const c of state.copies) if (c === obj) return true;
  for (const p of state.players.values()) if (p === obj) return true;
  return false;
}

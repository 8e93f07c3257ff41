import type { ClientMessage, ClientMessageType, RoomState } from '@roundtrip/protocol';
import type { Replica } from './replica.ts';

/**
 * What the round's screens read and send through (round, HUD, panels, map): a class
 * room's connection (Session) or a practice round run in this page (PracticeSession).
 */
export interface GameSession {
  /** The round as people read it (a Colyseus room's state, or one this page keeps itself). */
  readonly state: RoomState;
  /** The simulation this page draws. */
  readonly replica: Replica;
  readonly role: 'host' | 'player' | 'projector';
  /** This page's key in `state.players`. */
  readonly sessionId: string;
  /** Sends a message; `anchor` is where an error about it will show. */
  send<T extends ClientMessageType>(type: T, payload: ClientMessage<T>, anchor?: HTMLElement | null): void;
  leave(): void;
}

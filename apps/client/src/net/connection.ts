import { Client, MatchMakeError, type Room, ServerError } from '@colyseus/sdk';
import {
  CLASS_ROOM,
  type ClientMessage,
  type ClientMessageType,
  type CreateOptions,
  RoomState,
  type ServerMessages,
} from '@roundtrip/protocol';
import { loadScenario } from '@roundtrip/sim';
import { showToast } from '../ui/toast.ts';
import { outdated, PAGE_BUILD } from './build.ts';
import type { GameSession } from './gameSession.ts';
import { deviceId, hostKey } from './history.ts';
import { Replica } from './replica.ts';

/** How long to wait for `welcome` after the room accepted us. */
const WELCOME_TIMEOUT_MS = 8_000;
/** A reconnect after a reload is tried this often, this many ms apart. */
const RECONNECT_TRIES = 3;
const RECONNECT_RETRY_MS = 700;

/** The Colyseus endpoint: same origin in production, the Vite proxy prefix in dev. */
export function serverUrl(): string {
  const origin = location.origin.replace(/^http/, 'ws');
  return import.meta.env.DEV ? `${origin}/colyseus` : origin;
}

type Welcome = ServerMessages['welcome'];

/**
 * The server serves a newer build than this page's (SPEC SYNC-10): the page must reload.
 * The connection is kept open and the place stored, so the reload takes it back.
 */
export class OutdatedPage extends Error {
  /** The welcome that said so: who this page is in the room, for the place it stores. */
  readonly welcome: Welcome;

  constructor(welcome: Welcome) {
    super('Roundtrip was updated since this page was loaded. Reload the page to carry on.');
    this.name = 'OutdatedPage';
    this.welcome = welcome;
  }
}

/**
 * One connection to a class room: the Colyseus room, who we are, the replica of
 * our copy, and typed send helpers whose errors come back as toasts next to the
 * control that sent them.
 */
export class Session implements GameSession {
  readonly room: Room<unknown, RoomState>;
  /** The latest welcome: a new one comes with each round of the room (SPEC HOST-8). */
  welcome: Welcome;
  /** The replica of the copy this page follows; replaced when the room starts another lesson. */
  replica: Replica;
  /** Called if the server starts serving a newer build while this page is connected (SPEC SYNC-10). */
  onOutdated: (() => void) | null = null;
  /** The element that last sent each request type, to place its error toast. */
  private readonly anchors = new Map<string, HTMLElement>();

  constructor(room: Room<unknown, RoomState>, welcome: Welcome, replica: Replica) {
    this.room = room;
    this.welcome = welcome;
    this.replica = replica;
    room.onMessage('error', (m: ServerMessages['error']) => {
      showToast(m.message, this.anchors.get(m.request) ?? null, 'error');
    });
  }

  get role(): 'host' | 'player' | 'projector' {
    return this.welcome.role;
  }

  /**
   * The host or a projector asks for another copy's network (SPEC HOST-9): the replica
   * waits for that copy's snapshot and ignores the old copy's ticks still on the way.
   */
  watch(copy: number): void {
    if (this.replica.copy === copy) return;
    this.replica.follow(copy);
    this.room.send('view.copy', { copy });
  }

  get state(): RoomState {
    return this.room.state;
  }

  get sessionId(): string {
    return this.room.sessionId;
  }

  /** Sends a validated-shape message; `anchor` is where an error about it will show. */
  send<T extends ClientMessageType>(type: T, payload: ClientMessage<T>, anchor?: HTMLElement | null): void {
    if (anchor) this.anchors.set(type, anchor);
    this.room.send(type, payload);
  }

  leave(): void {
    this.room.leave().catch(() => {});
  }
}

/**
 * Creates a class round; the caller becomes its host. The browser's history key goes
 * with it, so the round is listed under "Past rounds" afterwards (SPEC PERSIST-2).
 */
export async function hostRound(options: CreateOptions): Promise<Session> {
  const key = hostKey();
  const room = await new Client(serverUrl()).create<RoomState>(
    CLASS_ROOM,
    key ? { ...options, hostKey: key } : options,
    RoomState,
  );
  return attached(room, 0, null);
}

/** Joins a round by its code as a player. */
export async function joinRound(code: string, nickname: string): Promise<Session> {
  const device = deviceId();
  const room = await new Client(serverUrl()).joinById<RoomState>(
    code,
    device ? { nickname, deviceId: device } : { nickname },
    RoomState,
  );
  return attached(room, null, nickname);
}

/**
 * Opens a round's projector view (SPEC HOST-9): read-only, no seat, nothing kept for a
 * reload (the page's address holds the code and key).
 */
export async function projectRound(code: string, projectorKey: string): Promise<Session> {
  const room = await new Client(serverUrl()).joinById<RoomState>(code, { projectorKey }, RoomState);
  return attach(room, 0);
}

/**
 * What this tab needs to get its place back after a reload (SPEC ROOM-5, ROOM-7):
 * the host's token, or a player's Colyseus reconnection token — and, for a server
 * that restarted, the player's nickname and seat token (SPEC PERSIST-4).
 */
export type Rejoin =
  | { role: 'host'; code: string; hostToken: string }
  | { role: 'player'; code: string; reconnectionToken: string; nickname?: string; playerToken?: string };

/** sessionStorage key: per tab, survives a reload, gone when the tab closes. */
const REJOIN_KEY = 'roundtrip.rejoin';

/** The place this tab held before a reload, if any. */
export function storedRejoin(): Rejoin | null {
  try {
    const r = JSON.parse(sessionStorage.getItem(REJOIN_KEY) ?? 'null') as Rejoin | null;
    if (r?.role === 'host' && typeof r.hostToken === 'string' && typeof r.code === 'string') return r;
    if (r?.role === 'player' && typeof r.reconnectionToken === 'string' && typeof r.code === 'string')
      return r;
  } catch {
    // unreadable: treat as nothing stored
  }
  return null;
}

/** Forgets this tab's place (the round ended and the user went back to start, or a rejoin failed). */
export function forgetRejoin(): void {
  sessionStorage.removeItem(REJOIN_KEY);
}

/**
 * A room joined as the host (`nickname` null) or a player: its session, its place stored
 * for a reload. A page too old for the server (SPEC SYNC-10) stores its place all the
 * same, for the reload that brings the new build, and fails with OutdatedPage.
 */
async function attached(room: Room<unknown, RoomState>, copy: number | null, nickname: string | null) {
  try {
    return remember(await attach(room, copy), nickname);
  } catch (e) {
    if (e instanceof OutdatedPage) storePlace(room, e.welcome, nickname);
    throw e;
  }
}

/**
 * Stores what `session` needs to come back after a reload, again after every automatic
 * reconnect. `nickname` is the player's (null for the host).
 */
function remember(session: Session, nickname: string | null): Session {
  let name = nickname;
  store(session, name);
  // Each reconnect brings a new reconnection token, set just after this signal fires.
  session.room.onReconnect(() => setTimeout(() => store(session, name), 0));
  // The host may rename the player (SPEC HOST-3): a seat is taken back under the new name.
  session.room.onStateChange(() => {
    const now = session.state.players.get(session.room.sessionId)?.nickname;
    if (name !== null && now !== undefined && now !== name) {
      name = now;
      store(session, name);
    }
  });
  return session;
}

function store(session: Session, nickname: string | null): void {
  storePlace(session.room, session.welcome, nickname);
}

function storePlace(room: Room<unknown, RoomState>, welcome: Welcome, nickname: string | null): void {
  const code = room.roomId;
  const { role, hostToken, playerToken } = welcome;
  if (role === 'projector') return;
  const r: Rejoin | null =
    role === 'player'
      ? {
          role,
          code,
          reconnectionToken: room.reconnectionToken,
          ...(nickname !== null && playerToken ? { nickname, playerToken } : {}),
        }
      : hostToken
        ? { role, code, hostToken }
        : null;
  try {
    if (r) sessionStorage.setItem(REJOIN_KEY, JSON.stringify(r));
  } catch {
    // storage full or disabled: the round still works, only a reload loses it
  }
}

/**
 * Takes back the place stored before a reload: the host joins again with its
 * token (any time while the room lives), a player reconnects to its own seat
 * (within the server's reconnection window) or, after a server restart, joins
 * with its nickname and seat token. Forgets the place if that fails, unless
 * `keepOnFailure` (the caller will try again).
 */
export async function rejoinRound(r: Rejoin, keepOnFailure = false): Promise<Session> {
  const client = new Client(serverUrl());
  try {
    const room =
      r.role === 'host'
        ? await client.joinById<RoomState>(r.code, { hostToken: r.hostToken }, RoomState)
        : await rejoinAsPlayer(client, r);
    return await attached(
      room,
      r.role === 'host' ? 0 : null,
      r.role === 'player' ? (r.nickname ?? null) : null,
    );
  } catch (e) {
    // An outdated page stored its new place for the reload (SPEC SYNC-10).
    if (!keepOnFailure && !(e instanceof OutdatedPage)) forgetRejoin();
    throw e;
  }
}

/** A player's seat back: by reconnection, or else (the server restarted) by nickname and seat token. */
async function rejoinAsPlayer(
  client: Client,
  r: Extract<Rejoin, { role: 'player' }>,
): Promise<Room<unknown, RoomState>> {
  try {
    return await reconnectSoon(client, r.reconnectionToken);
  } catch (e) {
    if (r.nickname === undefined || r.playerToken === undefined) throw e;
    return client.joinById<RoomState>(
      r.code,
      { nickname: r.nickname, playerToken: r.playerToken },
      RoomState,
    );
  }
}

/**
 * Reconnects with `token`. A reload can reach the server before it noticed the
 * old page's connection close (token not yet valid: 524), so that is retried.
 */
async function reconnectSoon(client: Client, token: string): Promise<Room<unknown, RoomState>> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await client.reconnect<RoomState>(token, RoomState);
    } catch (e) {
      const early = (e instanceof MatchMakeError || e instanceof ServerError) && e.code === 524;
      if (!early || attempt >= RECONNECT_TRIES) throw e;
      await new Promise((ok) => setTimeout(ok, RECONNECT_RETRY_MS));
    }
  }
}

/** Wires the room's messages before any can be missed, then waits for `welcome`. */
function attach(room: Room<unknown, RoomState>, copy: number | null): Promise<Session> {
  let replica: Replica | null = null;
  let session: Session | null = null;
  const early: Array<() => void> = [];
  // Set when the server serves a newer build (SPEC SYNC-10): nothing more reaches a replica.
  let stale = false;
  const whenReady = (run: (r: Replica) => void) => {
    if (stale) return;
    if (replica) run(replica);
    else if (early.length < 200) early.push(() => run(replica as Replica));
  };
  room.onMessage('sync.snapshot', (m: ServerMessages['sync.snapshot']) => {
    whenReady((r) => r.handleSnapshot({ ...m, bytes: toBytes(m.bytes) }, performance.now()));
  });
  room.onMessage('sync.ticks', (m: ServerMessages['sync.ticks']) => {
    whenReady((r) => r.handleTicks(m, performance.now()));
  });

  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      room.leave().catch(() => {});
      reject(new Error('The server accepted the connection but never said welcome. Try again.'));
    }, WELCOME_TIMEOUT_MS);
    const newReplica = (welcome: Welcome) =>
      new Replica({
        scenario: loadScenario(welcome.scenario, `${welcome.scenarioId}.json`),
        // A player follows their seat's copy, wherever the host moves it; the host and a projector pick theirs.
        copy: welcome.role === 'player' ? null : copy,
        requestResync: () => room.send('sync.resync', {}),
      });
    room.onMessage('welcome', (welcome: Welcome) => {
      if (stale) return;
      if (outdated(PAGE_BUILD, welcome.build)) {
        // This page's replica could not follow the server's copies (SPEC SYNC-10): it feeds none.
        stale = true;
        early.length = 0;
        clearTimeout(timer);
        if (session) session.onOutdated?.();
        else reject(new OutdatedPage(welcome));
        return;
      }
      if (session && replica) {
        // The room moved on to its next round (SPEC HOST-8): a new lesson, a new replica.
        if (welcome.round !== session.welcome.round) {
          replica = newReplica(welcome);
          session.welcome = welcome;
          session.replica = replica;
        }
        // Else a reconnect: this page already has its replica.
        return;
      }
      if (replica) return;
      clearTimeout(timer);
      // User Timing marks split a join into steps (pnpm bench:join, a browser's performance panel).
      performance.mark('roundtrip:welcome');
      try {
        replica = newReplica(welcome);
        for (const run of early.splice(0)) run();
        const made = new Session(room, welcome, replica);
        session = made;
        // Screens read the room state as soon as they exist (a rejoining host goes straight to the round).
        if (room.state.code) resolve(made);
        else room.onStateChange.once(() => resolve(made));
      } catch (e) {
        room.leave().catch(() => {});
        reject(e);
      }
    });
  });
}

/** msgpack `bin` arrives as Uint8Array; be lenient with ArrayBuffer or plain arrays. */
function toBytes(b: unknown): Uint8Array {
  if (b instanceof Uint8Array) return b;
  if (b instanceof ArrayBuffer) return new Uint8Array(b);
  if (Array.isArray(b)) return Uint8Array.from(b as number[]);
  throw new Error('snapshot bytes are not binary');
}

/** Words for a failed create/join that a person can act on. */
export function connectErrorText(e: unknown, code?: string): string {
  if (e instanceof MatchMakeError || e instanceof ServerError) {
    if (e.code === 522) {
      if (/locked|full/i.test(e.message)) return `Round ${code ?? ''} is full or closed to new players.`;
      return `No round with code ${code ?? ''}. Check the code on the projector.`;
    }
    const text = e.message.replace(/^Error:\s*/, '');
    return text.charAt(0).toUpperCase() + text.slice(1);
  }
  if (e instanceof Error) {
    if (/fetch|network|websocket|ECONNREFUSED/i.test(e.message))
      return 'Cannot reach the game server. Check your connection and try again.';
    return e.message;
  }
  return 'Something went wrong. Try again.';
}

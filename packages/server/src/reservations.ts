/**
 * Matchmaking on our terms (SPEC ROOM-1, ROOM-13): rooms are joined by their code
 * only; a join's nickname and seat are checked when its seat is reserved (over
 * HTTP, before any socket), so a refused join is refused at once, saying why; and
 * the creator's reservation is the host's, so no other connection can become host.
 * Works across processes: the checks run in the room's process (`remoteRoomCall`).
 */
import { ErrorCode, generateId, matchMaker, ServerError } from '@colyseus/core';
import type { JoinAuth } from './admission.ts';

/** What the room answers a reservation: a seat reserved for `sessionId`, or why not. */
export type ReservationVerdict = { ok: true; sessionId: string } | { ok: false; message: string };

/** The matchmaking calls a client may make: no joining a room without its code. */
const EXPOSED = ['create', 'joinById', 'reconnect'];

/** The room methods matchmaking calls (they may run in another process: plain data in and out). */
export interface ReservingRoom {
  reserveChecked(options: unknown): Promise<ReservationVerdict>;
  creatorReserved(sessionId: string): void;
}

type Invoke = typeof matchMaker.controller.invokeMethod;

/** Installs the rules above in front of Colyseus' matchmaking routes (once per process). */
export function guardMatchmaking(): void {
  const controller = matchMaker.controller;
  if ((controller as { guarded?: boolean }).guarded) return;
  (controller as { guarded?: boolean }).guarded = true;
  const invoke: Invoke = controller.invokeMethod.bind(controller);
  controller.invokeMethod = (async (method, roomName, options, auth) => {
    if (!EXPOSED.includes(method))
      throw new ServerError(
        ErrorCode.MATCHMAKE_NO_HANDLER,
        'rounds are joined by their code only; ask your host for it',
      );
    if (method === 'joinById') return joinByCode(roomName, options);
    const reservation = await invoke(method, roomName, options, auth);
    if (method === 'create')
      await matchMaker.remoteRoomCall<ReservingRoom>(reservation.roomId, 'creatorReserved', [
        reservation.sessionId,
      ]);
    return reservation;
  }) as Invoke;
}

/** A join by code: the room checks it and reserves the seat in one step, or says why not. */
async function joinByCode(code: string, options: unknown) {
  const listing = await matchMaker.getRoomById(code);
  if (!listing) throw new ServerError(ErrorCode.MATCHMAKE_INVALID_ROOM_ID, `room "${code}" not found`);
  const verdict: ReservationVerdict = await matchMaker.remoteRoomCall<ReservingRoom>(code, 'reserveChecked', [
    options ?? {},
  ]);
  if (!verdict.ok) throw new ServerError(ErrorCode.AUTH_FAILED, verdict.message);
  return matchMaker.buildSeatReservation(listing, verdict.sessionId);
}

/** Colyseus' seat reservation, private in its types: `authData` becomes the client's `auth` on connect. */
interface SeatReserver {
  _reserveSeat(sessionId: string, joinOptions: unknown, authData: JoinAuth): Promise<boolean>;
}

/**
 * The room's side: `decide` admits the join (throwing a ServerError that says why
 * not); then a seat is reserved carrying that decision. Reservations alone hold no
 * seat and no name: two joins with one name both pass here and the first to connect
 * gets it (the room checks again on join).
 */
export async function reserveSeatChecked(
  room: object,
  options: unknown,
  decide: () => JoinAuth,
): Promise<ReservationVerdict> {
  let auth: JoinAuth;
  try {
    auth = decide();
  } catch (e) {
    if (e instanceof ServerError) return { ok: false, message: e.message };
    throw e;
  }
  const sessionId = generateId();
  const reserved = await (room as SeatReserver)._reserveSeat(sessionId, options, auth);
  return reserved
    ? { ok: true, sessionId }
    : { ok: false, message: 'this room is not taking joins right now; try again in a few seconds' };
}

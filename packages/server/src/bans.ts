import { hostTokenMatches } from './hostToken.ts';
import { nicknameSkeleton } from './nickname.ts';

/** What the room knows of a kicked player, to know them again (SPEC HOST-2). */
export interface Banned {
  nickname: string;
  /** Their seat token (it would take the seat back after a restart). */
  token: string | null;
  /** The random id their browser keeps and sends with each join, when it sent one. */
  deviceId: string | null;
}

/** Why a banned player's join is refused, in words they can read. */
export const BANNED_TEXT = 'the host removed you from this round; you cannot join this room again';

/**
 * The players the host removed from one room (SPEC HOST-2). A join is barred if
 * it shows a removed player's seat token or browser id, or their nickname (compared
 * as ROOM-2 compares names): a new name alone from the same browser does not get back in.
 */
export class BanList {
  private readonly banned: Banned[] = [];

  constructor(saved: readonly Banned[] = []) {
    this.banned.push(...saved);
  }

  add(b: Banned): void {
    this.banned.push(b);
  }

  /** Whether a join with these credentials comes from a removed player. */
  bars(join: { nickname: string; token?: string | undefined; deviceId?: string | undefined }): boolean {
    const skeleton = nicknameSkeleton(join.nickname);
    return this.banned.some(
      (b) =>
        nicknameSkeleton(b.nickname) === skeleton ||
        (join.token !== undefined && b.token !== null && hostTokenMatches(join.token, b.token)) ||
        (join.deviceId !== undefined && b.deviceId !== null && hostTokenMatches(join.deviceId, b.deviceId)),
    );
  }

  /** The list as saved with the room (SPEC PERSIST-3). */
  saved(): Banned[] {
    return [...this.banned];
  }
}

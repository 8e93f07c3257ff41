/**
 * Seconds of simulated time a player may leave waiting work untouched before a bot
 * covers their seat (SPEC COVER-1): longer than a learner's pause to think, short
 * enough that one idle seat does not sink its team (lesson 1 at 0.5×: 20 s of class).
 */
export const COVER_IDLE_S = 10;
const COVER_IDLE_US = COVER_IDLE_S * 1_000_000;

/**
 * When each seated player last acted, in their copy's simulated time (SPEC COVER-1).
 * Only the room's own clock counts: a paused round idles nobody.
 */
export class IdleWatch {
  private readonly lastActUs = new Map<string, number>();

  /** `id` acted, or took a seat, at simulated time `nowUs`. */
  acted(id: string, nowUs: number): void {
    this.lastActUs.set(id, nowUs);
  }

  /** `id` has no seat any more. */
  forget(id: string): void {
    this.lastActUs.delete(id);
  }

  /**
   * Has `id` left `waiting` things (> 0) untouched for COVER_IDLE_S at `nowUs`? Someone
   * not seen before (a round restored after a restart) counts from now.
   */
  idleTooLong(id: string, nowUs: number, waiting: number): boolean {
    const since = this.lastActUs.get(id);
    if (since === undefined) {
      this.lastActUs.set(id, nowUs);
      return false;
    }
    return waiting > 0 && nowUs - since >= COVER_IDLE_US;
  }
}

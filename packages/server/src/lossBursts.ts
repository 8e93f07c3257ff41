/** A loss burst under way on one link of one copy (SPEC HOST-6). */
export interface LossBurst {
  copy: number;
  link: string;
  /** Simulated time at which the link's own loss comes back. */
  untilUs: number;
  /** The link's loss probability before the burst. */
  restoreLoss: number;
}

/**
 * The host's loss bursts (SPEC HOST-6): each sets a link's loss for a while, then
 * gives it back the loss it had. A second burst on the same link extends the first
 * and keeps the first one's loss to come back to.
 */
export class LossBursts {
  private bursts: LossBurst[] = [];

  constructor(saved: readonly LossBurst[] = []) {
    this.bursts.push(...saved);
  }

  /** Starts (or extends) a burst; `currentLoss` is the link's loss now. */
  start(copy: number, link: string, untilUs: number, currentLoss: number): void {
    const running = this.bursts.find((b) => b.copy === copy && b.link === link);
    if (running) running.untilUs = Math.max(running.untilUs, untilUs);
    else this.bursts.push({ copy, link, untilUs, restoreLoss: currentLoss });
  }

  /** Bursts of `copy` whose time is up at `nowUs`, removed from the list. */
  due(copy: number, nowUs: number): LossBurst[] {
    const done = this.bursts.filter((b) => b.copy === copy && b.untilUs <= nowUs);
    if (done.length > 0) this.bursts = this.bursts.filter((b) => !done.includes(b));
    return done;
  }

  /** Bursts under way, as saved with the room. */
  saved(): LossBurst[] {
    return this.bursts.map((b) => ({ ...b }));
  }
}

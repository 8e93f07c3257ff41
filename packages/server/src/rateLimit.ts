/**
 * Bounds on how fast one client may talk to the room (SPEC MSG-3): a token
 * bucket per client, a warning on the first message over it, a kick if the flood
 * goes on. Pure (the caller passes the time), so every rule is unit-testable.
 */

/** A token bucket: `burst` tokens at most, refilled at `perS` a second. */
export class TokenBucket {
  private readonly perS: number;
  private readonly burst: number;
  private tokens: number;
  private lastMs: number | null = null;

  constructor(perS: number, burst: number) {
    this.perS = perS;
    this.burst = burst;
    this.tokens = burst;
  }

  /** Takes one token at `nowMs`; false when the bucket is empty. */
  take(nowMs: number): boolean {
    this.refill(nowMs);
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** True when the bucket is full again at `nowMs` (the client has been quiet a while). */
  isFull(nowMs: number): boolean {
    this.refill(nowMs);
    return this.tokens >= this.burst;
  }

  private refill(nowMs: number): void {
    if (this.lastMs !== null)
      this.tokens = Math.min(this.burst, this.tokens + ((nowMs - this.lastMs) * this.perS) / 1000);
    this.lastMs = nowMs;
  }
}

/** Messages a client may send a second, on average (a busy player sends a few). */
export const CLIENT_MESSAGES_PER_S = 20;
/** Messages a client may send at once (a forwarding table typed in one go). */
export const CLIENT_MESSAGES_BURST = 40;
/** Messages over the limit, after the warning, that get a client disconnected. */
export const EXCESS_MESSAGES_BEFORE_KICK = 40;

/** What to do with one message: handle it, drop it with a warning, drop it, or disconnect the client. */
export type Verdict = 'accept' | 'warn' | 'drop' | 'kick';

/**
 * One client's message budget. Over the rate, the first message dropped gets a
 * warning; EXCESS_MESSAGES_BEFORE_KICK more dropped before the bucket fills
 * again (the client slowed down) get it disconnected.
 */
export class MessageBudget {
  private readonly bucket = new TokenBucket(CLIENT_MESSAGES_PER_S, CLIENT_MESSAGES_BURST);
  private excess = 0;
  /** Whether the latest message was accepted (the room reads it when it decodes that message). */
  lastAccepted = true;

  /** The verdict on a message arriving at `nowMs`. */
  onMessage(nowMs: number): Verdict {
    const verdict = this.judge(nowMs);
    this.lastAccepted = verdict === 'accept';
    return verdict;
  }

  private judge(nowMs: number): Verdict {
    if (this.excess > 0 && this.bucket.isFull(nowMs)) this.excess = 0;
    if (this.bucket.take(nowMs)) return 'accept';
    this.excess++;
    if (this.excess === 1) return 'warn';
    return this.excess > EXCESS_MESSAGES_BEFORE_KICK ? 'kick' : 'drop';
  }
}

/** The warning a client gets on its first message over the limit. */
export const RATE_WARNING = `you are sending more than ${CLIENT_MESSAGES_PER_S} messages a second; messages are being dropped, and you will be disconnected if this goes on`;

/** The close reason of a client disconnected for flooding. */
export const RATE_KICK_REASON = `disconnected: too many messages (more than ${CLIENT_MESSAGES_PER_S} a second, after a warning)`;

import { describe, expect, it } from 'vitest';
import { AddressLimits, SEATS_PER_ADDRESS_BURST } from './addressLimits.ts';
import {
  CLIENT_MESSAGES_BURST,
  CLIENT_MESSAGES_PER_S,
  EXCESS_MESSAGES_BEFORE_KICK,
  MessageBudget,
  TokenBucket,
} from './rateLimit.ts';

describe('rate limits (SPEC MSG-3, ROOM-11)', () => {
  it('a token bucket gives its burst at once, then refills at its rate', () => {
    const bucket = new TokenBucket(10, 3);
    expect([1, 2, 3, 4].map(() => bucket.take(0))).toEqual([true, true, true, false]);
    expect(bucket.take(50)).toBe(false); // half a token
    expect(bucket.take(100)).toBe(true);
    expect(bucket.isFull(10_000)).toBe(true);
  });

  it('MSG-3: a flood is accepted up to the burst, warned once, dropped, then kicked', () => {
    const budget = new MessageBudget();
    const verdicts = Array.from({ length: CLIENT_MESSAGES_BURST + EXCESS_MESSAGES_BEFORE_KICK + 2 }, () =>
      budget.onMessage(0),
    );
    expect(verdicts.slice(0, CLIENT_MESSAGES_BURST).every((v) => v === 'accept')).toBe(true);
    expect(verdicts[CLIENT_MESSAGES_BURST]).toBe('warn');
    expect(verdicts[CLIENT_MESSAGES_BURST + 1]).toBe('drop');
    expect(verdicts.at(-1)).toBe('kick');
    expect(budget.lastAccepted).toBe(false);
  });

  it('MSG-3: a client that slows down after the warning is forgiven', () => {
    const budget = new MessageBudget();
    for (let i = 0; i <= CLIENT_MESSAGES_BURST; i++) budget.onMessage(0);
    const refilledMs = (CLIENT_MESSAGES_BURST / CLIENT_MESSAGES_PER_S) * 1000;
    expect(budget.onMessage(refilledMs)).toBe('accept');
    // A steady rate at the limit is always accepted.
    const steady = new MessageBudget();
    const stepMs = 1000 / CLIENT_MESSAGES_PER_S;
    expect(
      Array.from({ length: 200 }, (_, i) => steady.onMessage(i * stepMs)).every((v) => v === 'accept'),
    ).toBe(true);
  });

  it('ROOM-11: seat reservations per address are limited, and addresses are counted apart', () => {
    const limits = new AddressLimits();
    const taken = Array.from({ length: SEATS_PER_ADDRESS_BURST + 1 }, () =>
      limits.take('join', '10.0.0.1', 0),
    );
    expect(taken.filter(Boolean)).toHaveLength(SEATS_PER_ADDRESS_BURST);
    expect(limits.take('join', '10.0.0.2', 0)).toBe(true);
    expect(limits.take('create', '10.0.0.1', 0)).toBe(true);
  });
});

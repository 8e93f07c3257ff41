import type { Client } from '@colyseus/core';
import { describe, expect, it } from 'vitest';
import { corked } from './corked.ts';

/** A client whose socket logs cork, uncork and writes (written while corked: held). */
function fakeClient(log: string[], name: string, withSocket = true): Client {
  let depth = 0;
  const socket = {
    cork: () => {
      depth++;
    },
    uncork: () => {
      depth--;
      if (depth === 0) log.push(`${name}: flush`);
    },
  };
  return {
    ref: withSocket ? { _socket: socket } : {},
    send: (what: string) => log.push(`${name}: ${what} ${depth > 0 ? 'held' : 'written'}`),
  } as unknown as Client;
}

describe('one socket write per client per tick — SPEC SYNC-5', () => {
  it('holds every frame sent inside, then flushes each socket once', () => {
    const log: string[] = [];
    const a = fakeClient(log, 'a');
    const b = fakeClient(log, 'b');
    corked([a, b], () => {
      a.send('tick');
      b.send('tick');
      a.send('patch');
    });
    expect(log).toEqual(['a: tick held', 'b: tick held', 'a: patch held', 'a: flush', 'b: flush']);
  });

  it('uncorks even when sending throws, and skips clients without a socket', () => {
    const log: string[] = [];
    const a = fakeClient(log, 'a');
    const plain = fakeClient(log, 'plain', false);
    expect(() =>
      corked([a, plain], () => {
        plain.send('tick');
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(log).toEqual(['plain: tick written', 'a: flush']);
  });
});

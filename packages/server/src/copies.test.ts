import { describe, expect, it } from 'vitest';
import { COMMANDS_PER_SENDER_PER_TICK_MAX, SimCopy } from './copies.ts';
import { lessonScenario } from './scenarios.ts';

describe('a copy\u2019s command queue (SPEC MSG-4)', () => {
  it('MSG-4: one sender flooding commands cannot keep a teammate\u2019s out', () => {
    const copy = new SimCopy(0, lessonScenario('lesson-1-postal').scenario, 1);
    const route = { type: 'route.set', node: 'r-west', prefix: '10.2.0.0/16', via: 'r-north' } as const;
    const refused = Array.from({ length: 600 }, () =>
      copy.enqueue({ cmd: route, senderSessionId: 'ann', request: 'route.set' }),
    ).filter((r) => r !== null);
    expect(refused).toHaveLength(600 - COMMANDS_PER_SENDER_PER_TICK_MAX);
    expect(refused[0]).toMatch(/at most 8 commands a tick/);
    expect(copy.enqueue({ cmd: route, senderSessionId: 'bob', request: 'route.set' })).toBeNull();
    copy.step(0);
    expect(copy.enqueue({ cmd: route, senderSessionId: 'ann', request: 'route.set' })).toBeNull(); // a new tick
  });
});

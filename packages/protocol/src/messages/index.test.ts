import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isRoleMessage } from './define.ts';
import { CLIENT_MESSAGES, clientMessage } from './index.ts';
import { queueSet } from './queue.set.ts';
import { resolverAnswer } from './resolver.answer.ts';

const PHASES = ['lobby', 'running', 'paused', 'ended'];

describe('the client message registry (SPEC MSG-1, ROOM-4, ROOM-5)', () => {
  it('MSG-1: lists every message file once, each under its own wire type', () => {
    const files = readdirSync(import.meta.dirname)
      .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
      .filter((f) => !['define.ts', 'fields.ts', 'index.ts'].includes(f));
    const types = CLIENT_MESSAGES.map((m) => m.type);
    expect(new Set(types).size).toBe(types.length);
    expect([...types].sort()).toEqual(files.map((f) => f.replace(/\.ts$/, '')).sort());
    for (const m of CLIENT_MESSAGES) expect(clientMessage(m.type)).toBe(m);
    expect(clientMessage('route.nuke')).toBeUndefined();
  });

  it('ROOM-4, ROOM-5: every message names its sender and at least one phase; role messages make a command', () => {
    for (const m of CLIENT_MESSAGES) {
      const sender: unknown = m.sender;
      const valid =
        sender === 'host' ||
        sender === 'viewer' ||
        sender === 'anyone' ||
        sender === 'player' ||
        (typeof sender === 'object' &&
          sender !== null &&
          typeof (sender as { role?: unknown }).role === 'string');
      expect(valid, `${m.type}: sender`).toBe(true);
      expect(m.phases.length, `${m.type}: phases`).toBeGreaterThan(0);
      for (const p of m.phases) expect(PHASES, `${m.type}: phase ${p}`).toContain(p);
      if (isRoleMessage(m)) expect(typeof m.toCommand, `${m.type}: toCommand`).toBe('function');
      if (m.type.startsWith('host.')) expect(m.sender, m.type).toBe('host');
    }
  });

  it("CMD-3: a role message's command names the sender's node", () => {
    const payload = queueSet.schema.parse({ via: 'r-b', discipline: { kind: 'priority' } });
    expect(queueSet.toCommand(payload, 'r-a')).toEqual({
      type: 'queue.set',
      node: 'r-a',
      via: 'r-b',
      discipline: { kind: 'priority' },
    });
  });

  it('MSG-1: queue.set refuses an unknown discipline and RED without its parameters', () => {
    expect(queueSet.schema.safeParse({ via: 'r-b', discipline: { kind: 'lifo' } }).success).toBe(false);
    expect(
      queueSet.schema.safeParse({ via: 'r-b', discipline: { kind: 'red', minThPackets: 5 } }).success,
    ).toBe(false);
  });

  it('MSG-1, GSLB-7: resolver.answer carries one region’s policy; a bad policy name or weight is refused here', () => {
    const payload = resolverAnswer.schema.parse({
      region: 'west',
      policy: 'failover',
      order: ['dc-west', 'dc-east'],
    });
    expect(resolverAnswer.toCommand(payload, 'res-w')).toEqual({
      type: 'resolver.answer',
      node: 'res-w',
      region: 'west',
      policy: 'failover',
      order: ['dc-west', 'dc-east'],
    });
    expect(resolverAnswer.schema.safeParse({ region: 'west', policy: 'random' }).success).toBe(false);
    expect(
      resolverAnswer.schema.safeParse({ region: 'west', policy: 'weighted', weights: { 'dc-west': 5_000 } })
        .success,
    ).toBe(false);
    expect(
      resolverAnswer.schema.safeParse({ region: 'west', policy: 'fixed', dc: 'dc-east', extra: 1 }).success,
    ).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { type DecisionContext, decide } from './dispatch.ts';

const player: DecisionContext['sender'] = { role: 'player', seat: { copy: 1, router: 'r-west' } };
const ctx = (over: Partial<DecisionContext>): DecisionContext => ({
  phase: 'running',
  sender: player,
  copyCount: 2,
  ...over,
});

describe('decide (SPEC MSG-1, MSG-2, ROOM-4, ROOM-5)', () => {
  it('refuses unknown types, then invalid payloads naming the field', () => {
    expect(decide(ctx({}), 'route.nuke', {})).toMatchObject({ ok: false, code: 'unknown-message' });
    const bad = decide(ctx({}), 'route.set', { prefix: 'ten', via: 'r-north' });
    expect(bad).toMatchObject({ ok: false, code: 'invalid-message' });
    expect(bad.ok || bad.message).toContain('prefix');
    const extra = decide(ctx({}), 'hand.mode', { enabled: true, router: 'r-east' });
    expect(extra.ok || extra.message).toContain('router');
  });

  it('keeps host messages for the host and router messages for players', () => {
    expect(decide(ctx({}), 'host.end', {})).toMatchObject({ ok: false, code: 'forbidden' });
    expect(decide(ctx({ sender: { role: 'host' } }), 'hand.mode', { enabled: true })).toMatchObject({
      ok: false,
      code: 'forbidden',
    });
    expect(decide(ctx({ sender: { role: 'none' } }), 'route.delete', { prefix: '10.0.0.0/8' })).toMatchObject(
      {
        ok: false,
        code: 'forbidden',
      },
    );
  });

  it('checks the phase', () => {
    const host = { role: 'host' } as const;
    expect(decide(ctx({ sender: host }), 'host.start', {})).toMatchObject({ code: 'wrong-phase' });
    expect(decide(ctx({ sender: host, phase: 'lobby' }), 'host.pause', undefined)).toMatchObject({
      code: 'wrong-phase',
    });
    expect(decide(ctx({ phase: 'lobby' }), 'hand.mode', { enabled: false })).toMatchObject({
      code: 'wrong-phase',
    });
    expect(decide(ctx({ phase: 'ended' }), 'route.delete', { prefix: '10.0.0.0/8' })).toMatchObject({
      code: 'wrong-phase',
    });
  });

  it("turns a player's route edit into a command for its own router and copy", () => {
    expect(decide(ctx({ phase: 'paused' }), 'route.set', { prefix: '10.2.0.0/16', via: 'r-north' })).toEqual({
      ok: true,
      action: {
        kind: 'command',
        copy: 1,
        cmd: { type: 'route.set', node: 'r-west', prefix: '10.2.0.0/16', via: 'r-north' },
      },
    });
  });

  it('sends host link changes to the named copy, and refuses a copy that does not exist', () => {
    const host = { role: 'host' } as const;
    expect(decide(ctx({ sender: host }), 'host.link', { copy: 1, link: 'l-a', up: false })).toEqual({
      ok: true,
      action: { kind: 'command', copy: 1, cmd: { type: 'link.set', link: 'l-a', up: false } },
    });
    expect(decide(ctx({ sender: host }), 'host.link', { copy: 2, link: 'l-a', up: false })).toMatchObject({
      code: 'rejected',
    });
  });

  it('accepts an empty payload for messages without fields', () => {
    expect(decide(ctx({ sender: { role: 'host' }, phase: 'lobby' }), 'host.start', undefined)).toEqual({
      ok: true,
      action: { kind: 'start' },
    });
  });
});

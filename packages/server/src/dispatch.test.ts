import { CLIENT_MESSAGES, type Phase } from '@roundtrip/protocol';
import { describe, expect, it } from 'vitest';
import { type DecisionContext, decide, permits, type Sender } from './dispatch.ts';

const player: Sender = { kind: 'player', seat: { copy: 1, node: 'r-west', role: 'router' } };
const host: Sender = { kind: 'host' };
const nobody: Sender = { kind: 'none' };
const ctx = (over: Partial<DecisionContext>): DecisionContext => ({
  phase: 'running',
  sender: player,
  copyCount: 2,
  ...over,
});
/** A valid payload for each message, so permission is what decides. */
const VALID: Record<string, unknown> = {
  'host.timeScale': { scale: 1 },
  'host.link': { copy: 0, link: 'l-a', up: false },
  'host.dcOutage': { copy: 0, dc: 'dc-west', down: true },
  'host.trafficSpike': { factor: 5, seconds: 10 },
  'route.set': { prefix: '10.2.0.0/16', via: 'r-north' },
  'route.delete': { prefix: '10.2.0.0/16' },
  'hand.mode': { enabled: true },
  'hand.forward': { packetId: 3, via: 'r-north' },
  'queue.set': { via: 'r-north', discipline: { kind: 'fifo' } },
  'resolver.policy': { minTtlS: 0, maxTtlS: 3_600, serveStale: true, prefetch: false },
  'resolver.flush': {},
  'host.step': { by: 'tick' },
  'host.lossBurst': { link: 'l-a', lossPct: 30, seconds: 10 },
  'host.lock': { locked: true },
  'host.kick': { player: 'abc123' },
  'host.rename': { player: 'abc123', nickname: 'Ann' },
  'host.seat': { player: 'abc123', copy: 0, node: 'r-a' },
  'host.leaderboard': { visible: false },
  'host.next': { scenario: 'lesson-2-mail' },
  'view.copy': { copy: 0 },
  'player.autopilot': { skill: 'expert' },
  'player.team': { team: 1 },
  'resolver.answer': { region: 'west', policy: 'weighted', weights: { 'dc-west': 3, 'dc-east': 1 } },
  'l4lb.algorithm': { algorithm: 'maglev' },
  'l4lb.weight': { backend: 'web-1', weight: 3 },
  'l4lb.backend': { backend: 'web-1', state: 'drain' },
  'l4lb.tracking': { on: false },
  'l4lb.flush': {},
  'l7lb.rule': { prefix: '/api', pool: 'api' },
  'l7lb.ruleDelete': { prefix: '/api' },
  'l7lb.sticky': { on: true },
  'l7lb.poolSize': { size: 4 },
  'l7lb.algorithm': { pool: 'web', algorithm: 'maglev' },
  'l7lb.backend': { pool: 'web', backend: 'web-1', state: 'drain' },
};
const PHASES: Phase[] = ['lobby', 'running', 'paused', 'ended'];

describe('decide (SPEC MSG-1, MSG-2, ROOM-4, ROOM-5)', () => {
  it('refuses unknown types, then invalid payloads naming the field', () => {
    expect(decide(ctx({}), 'route.nuke', {})).toMatchObject({ ok: false, code: 'unknown-message' });
    const bad = decide(ctx({}), 'route.set', { prefix: 'ten', via: 'r-north' });
    expect(bad).toMatchObject({ ok: false, code: 'invalid-message' });
    expect(bad.ok || bad.message).toContain('prefix');
    const extra = decide(ctx({}), 'hand.mode', { enabled: true, node: 'r-east' });
    expect(extra.ok || extra.message).toContain('node');
    const red = decide(ctx({}), 'queue.set', { via: 'r-north', discipline: { kind: 'red', maxP: 2 } });
    expect(red.ok || red.message).toMatch(/discipline\.maxP/);
  });

  it('ROOM-5: every host message from a player, or from a connection without a seat, is forbidden in every phase', () => {
    const hostMessages = CLIENT_MESSAGES.filter((m) => m.sender === 'host');
    expect(hostMessages.length).toBeGreaterThan(0);
    for (const m of hostMessages)
      for (const phase of PHASES)
        for (const sender of [player, nobody])
          expect(
            decide(ctx({ sender, phase }), m.type, VALID[m.type] ?? {}),
            `${m.type} in ${phase}`,
          ).toMatchObject({
            ok: false,
            code: 'forbidden',
            message: `only the host may send ${m.type}`,
          });
  });

  it('ROOM-5, HOST-9: viewer messages pass for the host and a projector, not for a player; a projector may send no host message', () => {
    const projector: Sender = { kind: 'projector' };
    for (const sender of [host, projector])
      expect(decide(ctx({ sender, phase: 'running', copyCount: 2 }), 'view.copy', { copy: 1 })).toEqual({
        ok: true,
        action: { kind: 'watch', copy: 1 },
      });
    for (const sender of [player, nobody])
      expect(decide(ctx({ sender, phase: 'running', copyCount: 2 }), 'view.copy', { copy: 1 })).toMatchObject(
        {
          ok: false,
          code: 'forbidden',
          message: 'only the host or a projector may send view.copy',
        },
      );
    for (const m of CLIENT_MESSAGES.filter((x) => x.sender === 'host'))
      expect(decide(ctx({ sender: projector, phase: 'running' }), m.type, VALID[m.type] ?? {})).toMatchObject(
        {
          code: 'forbidden',
        },
      );
  });

  it('ROOM-5: role messages are forbidden from the host and from a connection without a seat', () => {
    const roleMessages = CLIENT_MESSAGES.filter((m) => typeof m.sender === 'object');
    const roleOf = (m: (typeof CLIENT_MESSAGES)[number]) =>
      typeof m.sender === 'object' ? m.sender.role : '';
    for (const m of roleMessages)
      for (const sender of [host, nobody])
        expect(decide(ctx({ sender }), m.type, VALID[m.type]), m.type).toMatchObject({
          ok: false,
          code: 'forbidden',
          message: `only a player holding a ${roleOf(m)} may send ${m.type}`,
        });
  });

  it("ROOM-5: a role message is only for a seat of that role; 'anyone' lets every connection through", () => {
    const otherRole: Sender = { kind: 'player', seat: { copy: 0, node: 'dns-1', role: 'resolver' } };
    expect(permits({ role: 'router' }, otherRole)).toBe(false);
    expect(permits({ role: 'router' }, player)).toBe(true);
    expect(decide(ctx({ sender: otherRole }), 'route.set', VALID['route.set'])).toMatchObject({
      ok: false,
      code: 'forbidden',
    });
    for (const sender of [host, player, nobody, otherRole]) {
      expect(permits('anyone', sender)).toBe(true);
      expect(decide(ctx({ sender }), 'sync.resync', {})).toEqual({ ok: true, action: { kind: 'resync' } });
    }
    expect(permits('host', host)).toBe(true);
    expect(permits('host', otherRole)).toBe(false);
  });

  it('BOTS-2: player.autopilot is for a seated player only, with a skill or null', () => {
    for (const skill of ['expert', null])
      expect(decide(ctx({ phase: 'lobby' }), 'player.autopilot', { skill })).toEqual({
        ok: true,
        action: { kind: 'autopilot', skill },
      });
    for (const sender of [host, { kind: 'projector' } as const, nobody])
      expect(decide(ctx({ sender }), 'player.autopilot', { skill: 'expert' })).toMatchObject({
        ok: false,
        code: 'forbidden',
        message: 'only a player in a seat may send player.autopilot',
      });
    expect(decide(ctx({}), 'player.autopilot', { skill: 'Expert!' })).toMatchObject({
      code: 'invalid-message',
    });
    expect(decide(ctx({}), 'player.autopilot', {})).toMatchObject({ code: 'invalid-message' });
    expect(decide(ctx({ phase: 'ended' }), 'player.autopilot', { skill: null })).toMatchObject({
      code: 'wrong-phase',
    });
  });

  it('COMP-2: player.team is a seated player’s, in the lobby, to a team index', () => {
    expect(decide(ctx({ phase: 'lobby' }), 'player.team', { team: 1 })).toEqual({
      ok: true,
      action: { kind: 'team', team: 1 },
    });
    expect(decide(ctx({ phase: 'lobby', sender: host }), 'player.team', { team: 1 })).toMatchObject({
      code: 'forbidden',
    });
    expect(decide(ctx({ phase: 'lobby' }), 'player.team', { team: 8 })).toMatchObject({
      code: 'invalid-message',
    });
    expect(decide(ctx({ phase: 'running' }), 'player.team', { team: 0 })).toMatchObject({
      code: 'wrong-phase',
    });
  });

  it('ROOM-4: checks the phase after permission', () => {
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
    expect(decide(ctx({ phase: 'lobby' }), 'sync.resync', {})).toMatchObject({ code: 'wrong-phase' });
    // Forbidden wins over the phase: a player learns nothing about the host's controls.
    expect(decide(ctx({ phase: 'lobby' }), 'host.pause', {})).toMatchObject({ code: 'forbidden' });
  });

  it("CMD-3: turns a player's role message into a command for its own node and copy", () => {
    expect(decide(ctx({ phase: 'paused' }), 'route.set', { prefix: '10.2.0.0/16', via: 'r-north' })).toEqual({
      ok: true,
      action: {
        kind: 'command',
        copy: 1,
        cmd: { type: 'route.set', node: 'r-west', prefix: '10.2.0.0/16', via: 'r-north' },
      },
    });
    expect(decide(ctx({}), 'queue.set', VALID['queue.set'])).toEqual({
      ok: true,
      action: {
        kind: 'command',
        copy: 1,
        cmd: { type: 'queue.set', node: 'r-west', via: 'r-north', discipline: { kind: 'fifo' } },
      },
    });
  });

  it('sends host link changes to the named copy, and refuses a copy that does not exist', () => {
    expect(decide(ctx({ sender: host }), 'host.link', { copy: 1, link: 'l-a', up: false })).toEqual({
      ok: true,
      action: { kind: 'command', copy: 1, cmd: { type: 'link.set', link: 'l-a', up: false } },
    });
    expect(decide(ctx({ sender: host }), 'host.link', { copy: 2, link: 'l-a', up: false })).toMatchObject({
      code: 'rejected',
    });
  });

  it('sends a data-centre outage to the named copy as dc.outage (SPEC DC-3), and refuses a copy that does not exist', () => {
    expect(decide(ctx({ sender: host }), 'host.dcOutage', { copy: 1, dc: 'dc-west', down: true })).toEqual({
      ok: true,
      action: { kind: 'command', copy: 1, cmd: { type: 'dc.outage', dc: 'dc-west', down: true } },
    });
    expect(
      decide(ctx({ sender: host }), 'host.dcOutage', { copy: 2, dc: 'dc-west', down: true }),
    ).toMatchObject({
      code: 'rejected',
    });
  });

  it('maps each host control to its room action', () => {
    const at = (phase: Phase) => ctx({ sender: host, phase });
    expect(decide(at('lobby'), 'host.start', undefined)).toEqual({ ok: true, action: { kind: 'start' } });
    expect(decide(at('running'), 'host.pause', {})).toEqual({ ok: true, action: { kind: 'pause' } });
    expect(decide(at('paused'), 'host.resume', {})).toEqual({ ok: true, action: { kind: 'resume' } });
    expect(decide(at('paused'), 'host.end', {})).toEqual({ ok: true, action: { kind: 'end' } });
    expect(decide(at('lobby'), 'host.timeScale', { scale: 0.25 })).toEqual({
      ok: true,
      action: { kind: 'timeScale', scale: 0.25 },
    });
  });
});

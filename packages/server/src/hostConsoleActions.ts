import type { ClientMessageDefinition, MessagePayload } from '@roundtrip/protocol';
import type { Decision } from './dispatch.ts';

type ConsoleType = Extract<
  ClientMessageDefinition,
  {
    type:
      | 'host.lock'
      | 'host.kick'
      | 'host.rename'
      | 'host.seat'
      | 'host.shuffle'
      | 'host.step'
      | 'host.lossBurst'
      | 'host.trafficSpike'
      | 'host.leaderboard'
      | 'host.next'
      | 'view.copy';
  }
>['type'];

/** "there is no copy N" when `copy` is past the round's copies, else null. */
function noSuchCopy(copy: number, copyCount: number): Decision | null {
  if (copy < copyCount) return null;
  return {
    ok: false,
    code: 'rejected',
    message: `there is no team ${copy + 1}; this round has ${copyCount} team${copyCount === 1 ? '' : 's'}`,
  };
}

/** The host console's messages (SPEC HOST-*) as room actions; rules on players and seats are the room's. */
export const HOST_CONSOLE_ACTIONS: {
  [T in ConsoleType]: (payload: MessagePayload<T>, copyCount: number) => Decision;
} = {
  'host.lock': (m) => ({ ok: true, action: { kind: 'lock', locked: m.locked } }),
  'host.kick': (m) => ({ ok: true, action: { kind: 'kick', player: m.player } }),
  'host.rename': (m) => ({ ok: true, action: { kind: 'rename', player: m.player, nickname: m.nickname } }),
  'host.seat': (m) => ({ ok: true, action: { kind: 'seat', player: m.player, copy: m.copy, node: m.node } }),
  'host.shuffle': () => ({ ok: true, action: { kind: 'shuffle' } }),
  'host.step': (m) => ({ ok: true, action: { kind: 'step', by: m.by } }),
  'host.lossBurst': (m, copyCount) =>
    (m.copy === undefined ? null : noSuchCopy(m.copy, copyCount)) ?? {
      ok: true,
      action: {
        kind: 'lossBurst',
        copies: m.copy === undefined ? 'all' : [m.copy],
        link: m.link,
        loss: m.lossPct / 100,
        seconds: m.seconds,
      },
    },
  'host.trafficSpike': (m, copyCount) =>
    (m.copy === undefined ? null : noSuchCopy(m.copy, copyCount)) ?? {
      ok: true,
      action: {
        kind: 'spike',
        copies: m.copy === undefined ? 'all' : [m.copy],
        factor: m.factor,
        seconds: m.seconds,
        flow: m.flow,
      },
    },
  'host.leaderboard': (m) => ({ ok: true, action: { kind: 'leaderboard', visible: m.visible } }),
  'host.next': (m) => ({
    ok: true,
    action: { kind: 'next', lesson: m.scenario, durationS: m.durationS, timeScale: m.timeScale },
  }),
  'view.copy': (m, copyCount) =>
    noSuchCopy(m.copy, copyCount) ?? { ok: true, action: { kind: 'watch', copy: m.copy } },
};

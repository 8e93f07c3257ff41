import type { ClientMessageDefinition, MessagePayload } from '@roundtrip/protocol';
import type { Decision } from './dispatch.ts';
import { HOST_CONSOLE_ACTIONS } from './hostConsoleActions.ts';

/** Messages the room acts on itself: the host's controls and sync requests (not role commands). */
export type RoomMessageType = Extract<
  ClientMessageDefinition,
  { sender: 'host' | 'viewer' | 'anyone' | 'player' }
>['type'];

/** One action per room message; the compiler insists on an entry for each. */
const ACTIONS: { [T in RoomMessageType]: (payload: MessagePayload<T>, copyCount: number) => Decision } = {
  'host.start': () => ({ ok: true, action: { kind: 'start' } }),
  'host.pause': () => ({ ok: true, action: { kind: 'pause' } }),
  'host.resume': () => ({ ok: true, action: { kind: 'resume' } }),
  'host.end': () => ({ ok: true, action: { kind: 'end' } }),
  'host.timeScale': (m) => ({ ok: true, action: { kind: 'timeScale', scale: m.scale } }),
  'host.link': (m, copyCount) =>
    m.copy >= copyCount
      ? {
          ok: false,
          code: 'rejected',
          message: `there is no copy ${m.copy}; this round has copies 0 to ${copyCount - 1}`,
        }
      : {
          ok: true,
          action: { kind: 'command', copy: m.copy, cmd: { type: 'link.set', link: m.link, up: m.up } },
        },
  'host.dcOutage': (m, copyCount) =>
    m.copy >= copyCount
      ? {
          ok: false,
          code: 'rejected',
          message: `there is no copy ${m.copy}; this round has copies 0 to ${copyCount - 1}`,
        }
      : {
          ok: true,
          action: { kind: 'command', copy: m.copy, cmd: { type: 'dc.outage', dc: m.dc, down: m.down } },
        },
  'sync.resync': () => ({ ok: true, action: { kind: 'resync' } }),
  'player.autopilot': (m) => ({ ok: true, action: { kind: 'autopilot', skill: m.skill } }),
  'player.team': (m) => ({ ok: true, action: { kind: 'team', team: m.team } }),
  ...HOST_CONSOLE_ACTIONS,
};

/**
 * The room's action for a validated, permitted room message `type` with `payload`
 * (parsed by that message's schema). `copyCount` is the running round's copies.
 */
export function roomAction(type: RoomMessageType, payload: unknown, copyCount: number): Decision {
  // Correlating a type with its payload needs a cast: the payload came from this type's schema.
  const act = ACTIONS[type] as (payload: unknown, copyCount: number) => Decision;
  return act(payload, copyCount);
}

import { MAX_PLAYERS } from '@roundtrip/protocol';
import type { ScenarioSeat } from '@roundtrip/sim';
import { describe, expect, it } from 'vitest';
import { type AdmissionView, admit, seatFor } from './admission.ts';

const TOKEN = 'a-host-token-of-24-chars';
const seats: ScenarioSeat[] = [
  { node: 'r-a', role: 'router' },
  { node: 'r-b', role: 'router' },
];
const view = (over: Partial<AdmissionView>): AdmissionView => ({
  phase: 'lobby',
  players: [],
  seats,
  copyCount: 0,
  departedNicknames: [],
  held: new Map(),
  ...over,
});
const bob = { nickname: 'Bob', copy: 0, node: 'r-a' };

describe('admission (SPEC ROOM-2, ROOM-3)', () => {
  it('admits a trimmed nickname as a player, and the host with its token', () => {
    expect(admit({ nickname: '  Ann ' }, view({}), TOKEN)).toEqual({ role: 'player', nickname: 'Ann' });
    expect(admit({ hostToken: TOKEN }, view({}), TOKEN)).toEqual({ role: 'host' });
  });

  it('refuses bad options with a message naming the field', () => {
    expect(() => admit({ nickname: '   ' }, view({}), TOKEN)).toThrow(/nickname: a nickname is needed/);
    expect(() => admit({ nickname: 'x'.repeat(21) }, view({}), TOKEN)).toThrow(/nickname: at most 20/);
    expect(() => admit({}, view({}), TOKEN)).toThrow(/nickname/);
    expect(() => admit({ hostToken: 'b-host-token-of-24-chars' }, view({}), TOKEN)).toThrow(/host token/);
  });

  it('refuses a nickname already taken, ignoring case and spaces', () => {
    expect(() => admit({ nickname: ' bOB ' }, view({ players: [bob] }), TOKEN)).toThrow(/already taken/);
  });

  it('opens a new copy in the lobby, but mid-round only takes seats held by bots', () => {
    const full = [bob, { nickname: 'Cy', copy: 0, node: 'r-b' }];
    expect(seatFor('Di', view({ players: full }))).toEqual({ copy: 1, node: 'r-a', role: 'router' });
    expect(seatFor('Di', view({ phase: 'running', players: [bob], copyCount: 1 }))).toEqual({
      copy: 0,
      node: 'r-b',
      role: 'router',
    });
    expect(() => seatFor('Di', view({ phase: 'running', players: full, copyCount: 1 }))).toThrow(
      /every seat in this round is taken/,
    );
    expect(() => seatFor('Di', view({ phase: 'ended' }))).toThrow(/ended/);
  });

  it('refuses the player after MAX_PLAYERS', () => {
    const players = Array.from({ length: MAX_PLAYERS }, (_, i) => ({
      nickname: `p${i}`,
      copy: Math.floor(i / 2),
      node: seats[i % 2]?.node as string,
    }));
    expect(() => seatFor('late', view({ players }))).toThrow(/full/);
  });
});

describe('taking a seat back after a restart (SPEC PERSIST-4)', () => {
  const held = new Map([['old-session', { nickname: 'Bob', token: 'bobs-token-0123456789' }]]);
  const running = view({ phase: 'running', copyCount: 1, players: [bob], held });

  it('PERSIST-4: the held seat goes to its nickname with its token, to nobody else', () => {
    expect(admit({ nickname: 'Bob', playerToken: 'bobs-token-0123456789' }, running, TOKEN)).toEqual({
      role: 'player',
      nickname: 'Bob',
      reclaims: 'old-session',
    });
    // The wrong token, or the token with another name, is an ordinary join: the name is taken.
    expect(() => admit({ nickname: 'Bob', playerToken: 'not-bobs-token-01234' }, running, TOKEN)).toThrow(
      /already taken/,
    );
    expect(admit({ nickname: 'Cy', playerToken: 'bobs-token-0123456789' }, running, TOKEN)).toEqual({
      role: 'player',
      nickname: 'Cy',
    });
  });
});

import { MAX_PLAYERS } from '@roundtrip/protocol';
import type { ScenarioSeat } from '@roundtrip/sim';
import { describe, expect, it } from 'vitest';
import { type AdmissionView, admit, seatFor } from './admission.ts';
import { BanList } from './bans.ts';

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
  locked: false,
  bans: new BanList(),
  projectorKey: 'the-projector-key-0123456789',
  projectors: 0,
  teams: [],
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

  it("HOST-10: a late joiner takes a bot's seat, else a new copy opens — in the lobby, mid-round and after the end", () => {
    const full = [bob, { nickname: 'Cy', copy: 0, node: 'r-b' }];
    expect(seatFor('Di', view({ players: full }))).toEqual({ copy: 1, node: 'r-a', role: 'router' });
    expect(seatFor('Di', view({ phase: 'running', players: [bob], copyCount: 1 }))).toEqual({
      copy: 0,
      node: 'r-b',
      role: 'router',
    });
    expect(seatFor('Di', view({ phase: 'running', players: full, copyCount: 1 }))).toEqual({
      copy: 1,
      node: 'r-a',
      role: 'router',
    });
    expect(seatFor('Di', view({ phase: 'ended', players: [bob] }))).toEqual({
      copy: 0,
      node: 'r-b',
      role: 'router',
    });
  });

  it('HOST-1: a locked room refuses new players, but not the host', () => {
    expect(() => admit({ nickname: 'Di' }, view({ locked: true }), TOKEN)).toThrow(/locked/);
    expect(admit({ hostToken: TOKEN }, view({ locked: true }), TOKEN)).toEqual({ role: 'host' });
  });

  it('HOST-2: a removed player is refused by name, seat token or browser id', () => {
    const bans = new BanList([
      { nickname: 'Bob', token: 'bobs-token-0123456789', deviceId: 'bobs-browser-0123456789' },
    ]);
    expect(() => admit({ nickname: 'bob' }, view({ bans }), TOKEN)).toThrow(/removed you/);
    expect(() =>
      admit({ nickname: 'B0b2', deviceId: 'bobs-browser-0123456789' }, view({ bans }), TOKEN),
    ).toThrow(/removed you/);
    expect(() =>
      admit({ nickname: 'Robert', playerToken: 'bobs-token-0123456789' }, view({ bans }), TOKEN),
    ).toThrow(/removed you/);
    expect(admit({ nickname: 'Robert', deviceId: 'another-browser-012345' }, view({ bans }), TOKEN)).toEqual({
      role: 'player',
      nickname: 'Robert',
      deviceId: 'another-browser-012345',
    });
  });

  it('HOST-9: a projector joins with the projector key, and only a few at once', () => {
    expect(admit({ projectorKey: 'the-projector-key-0123456789' }, view({}), TOKEN)).toEqual({
      role: 'projector',
    });
    expect(() => admit({ projectorKey: 'not-the-projector-key-012' }, view({}), TOKEN)).toThrow(
      /projector link/,
    );
    expect(() =>
      admit({ projectorKey: 'the-projector-key-0123456789' }, view({ projectors: 4 }), TOKEN),
    ).toThrow(/at most 4 projectors/);
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

describe('admission to a competition (SPEC COMP-2)', () => {
  const teams = ['Owls', 'Foxes'];
  it('COMP-2: a player picks a team, or joins the smallest; a full team is refused by name', () => {
    expect(admit({ nickname: 'Ann', team: 1 }, view({ teams }), TOKEN)).toEqual({
      role: 'player',
      nickname: 'Ann',
      team: 1,
    });
    expect(seatFor('Ann', view({ teams }), 1)).toEqual({ copy: 1, node: 'r-a', role: 'router' });
    // Owls have one player, Foxes none: an unpicked joiner goes to the Foxes.
    expect(seatFor('Cy', view({ teams, players: [bob] }))).toEqual({ copy: 1, node: 'r-a', role: 'router' });
    const owlsFull = [bob, { nickname: 'Dee', copy: 0, node: 'r-b' }];
    expect(() => seatFor('Cy', view({ teams, players: owlsFull }), 0)).toThrow(
      /team "Owls" is full \(2 players\); pick another team/,
    );
    expect(seatFor('Cy', view({ teams, players: owlsFull }))).toMatchObject({ copy: 1 });
    expect(() => seatFor('Cy', view({ teams }), 5)).toThrow(
      /there is no team 6; this competition has 2 teams/,
    );
  });

  it('COMP-2: no copy opens past the teams, and a class room refuses a team', () => {
    const full = [0, 1].flatMap((copy) =>
      seats.map((s, i) => ({ nickname: `P${copy}${i}`, copy, node: s.node })),
    );
    expect(() => seatFor('Cy', view({ teams, players: full }))).toThrow(/every team is full/);
    expect(() => seatFor('Cy', view({}), 0)).toThrow(/not a competition/);
    expect(() => admit({ nickname: 'Cy', team: 8 }, view({ teams }), TOKEN)).toThrow(/team/);
  });
});

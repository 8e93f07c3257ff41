import { describe, expect, it } from 'vitest';
import { plainRefusal, type RefusalContext } from './plainWords.ts';

const labels: Record<string, string> = { 'r-west': 'West router', 'r-north': 'North router' };
const ctx = (phase: RefusalContext['phase']): RefusalContext => ({
  phase,
  label: (id) => labels[id] ?? id,
});

describe('plain words for refusals', () => {
  it('MSG-8: a message in the wrong phase says what the round is doing, never the rule', () => {
    const lobby = plainRefusal(
      'wrong-phase',
      'route.set is not allowed while the round is lobby',
      'route.set',
      ctx('lobby'),
    );
    expect(lobby).toBe("The round hasn't started yet: wait for your teacher to start it.");
    expect(plainRefusal('wrong-phase', 'x', 'route.set', ctx('ended'))).toBe('The round has ended.');
    expect(plainRefusal('wrong-phase', 'x', 'host.resume', ctx('running'))).toBe('The round is not paused.');
    for (const phase of ['lobby', 'running', 'paused', 'ended'] as const)
      expect(plainRefusal('wrong-phase', 'x', 'host.start', ctx(phase))).not.toMatch(
        /host\.|lobby\b|route\./,
      );
  });

  it('MSG-8: forbidden and malformed messages are worded for people', () => {
    expect(plainRefusal('forbidden', 'only the host may send host.start', 'host.start', ctx('lobby'))).toBe(
      'Only the teacher (the host) can do that.',
    );
    expect(
      plainRefusal(
        'forbidden',
        'only a player holding a router may send route.set',
        'route.set',
        ctx('running'),
      ),
    ).toMatch(/another role/);
    expect(
      plainRefusal('invalid-message', 'route.set: prefix: Invalid', 'route.set', ctx('running')),
    ).toMatch(/Reload the page/);
  });

  it('MSG-8: a refused command names nodes as the map does', () => {
    expect(
      plainRefusal('rejected', '"r-north" is not a neighbour of r-west', 'route.set', ctx('running')),
    ).toBe('North router is not a neighbour of West router: pick one it has a link to.');
    expect(
      plainRefusal('rejected', 'r-west has no route for 10.9.0.0/16', 'route.delete', ctx('running')),
    ).toBe('There is no route for 10.9.0.0/16 to delete.');
    expect(
      plainRefusal('rejected', 'packet 42 is not waiting at r-west', 'hand.forward', ctx('running')),
    ).toMatch(/^Packet #42 is not waiting/);
    expect(plainRefusal('rejected', 'the forwarding table is full', 'route.set', ctx('running'))).toBe(
      'The forwarding table is full.',
    );
  });

  it('MSG-8: rate-limit warnings pass through (already worded for people)', () => {
    expect(plainRefusal('rate-limited', 'Slow down: too many messages.', '', ctx('running'))).toBe(
      'Slow down: too many messages.',
    );
  });
});

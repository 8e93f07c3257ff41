import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadScenario, parseAddress, type Scenario, type SimRecord } from '@roundtrip/sim';
import { describe, expect, it } from 'vitest';
import { HINT_REPEAT_US, HINTS_KEPT, ReactiveHints } from './hints.ts';
import { LocalRound } from './localRound.ts';

function lesson(id: string): Scenario {
  const path = join(import.meta.dirname, '../../../../scenarios', `${id}.json`);
  return loadScenario(readFileSync(path, 'utf8'), `${id}.json`);
}

const SEAT = 'your West router (r-west)';

describe('hints that react to the round — SPEC PRAC-7', () => {
  it('names the destination and a covering prefix when packets die at the seat for want of a route', () => {
    const scenario = lesson('lesson-1-postal');
    const round = new LocalRound({
      scenarioId: 'lesson-1-postal',
      scenario,
      seed: 2,
      node: 'r-west',
      botSkill: '',
    });
    const hints = new ReactiveHints(scenario, 'r-west', SEAT);
    round.copy.sim.onRecord((r) => hints.add(r, round.copy.sim));
    expect(round.send('hand.mode', { enabled: false })).toBeNull();
    for (let s = 0; s < 20 && hints.list.length === 0; s++) round.stepBy(1_000_000);
    const [first] = hints.list;
    expect(first?.text).toMatch(
      /^Packets for 10\.(\d)\.0\.10 are dropped at your West router \(r-west\): no route\. Add a route for a prefix that covers it, such as 10\.\1\.0\.0\/16\.$/,
    );
    // Routes for every site: nothing more is dropped there for want of one.
    for (const [prefix, via] of [
      ['10.2.0.0/16', 'r-north'],
      ['10.3.0.0/16', 'r-north'],
      ['10.4.0.0/16', 'r-south'],
    ] as const)
      round.send('route.set', { prefix, via });
    round.stepBy(1_000_000);
    const count = hints.list.length;
    const latest = hints.list[0]?.atUs ?? 0;
    round.stepBy(30_000_000);
    expect(hints.list.filter((h) => h.atUs > latest + 1_000_000)).toEqual([]);
    expect(hints.list.length).toBe(count);
  });

  it('says when a link of the seat is down, and when its answers point at a dark data centre', () => {
    const scenario = lesson('lesson-1-postal');
    const hints = new ReactiveHints(scenario, 'r-west', SEAT);
    const link = scenario.file.links.findIndex((l) => l.a === 'r-west' || l.b === 'r-west');
    const me = scenario.nodeIndex.get('r-west') ?? -1;
    const drop = (tUs: number, reason: 'link-down' | 'queue-full', node: number): SimRecord => ({
      k: 'drop',
      tUs,
      packetId: 1,
      channel: 'udp',
      flow: 0,
      unit: 0,
      reason,
      node,
      link,
    });
    hints.add(drop(1_000, 'link-down', me === 0 ? 1 : 0), null);
    expect(hints.list[0]?.text).toMatch(
      /^Your link .* is down: packets sent on it are lost\. Send this traffic another way/,
    );
    hints.add(drop(2_000, 'queue-full', me), null);
    expect(hints.list[0]?.text).toBe(
      `Packets are dropped at ${SEAT}: dropped: queue full. More waits for that link than its queue holds: send some traffic another way, or give real-time UDP priority.`,
    );
    hints.add(
      {
        k: 'deadAnswer',
        tUs: 3_000,
        node: me,
        flow: 0,
        unit: 0,
        name: 'shop.example',
        addr: parseAddress('10.3.0.20') ?? 0,
      },
      null,
    );
    expect(hints.list[0]?.text).toMatch(
      /^Your West router \(r-west\) answered shop\.example with 10\.3\.0\.20, a server in a dark data centre/,
    );
    // Someone else's drop says nothing about this seat.
    hints.add(drop(4_000, 'queue-full', me + 1), null);
    expect(hints.list).toHaveLength(3);
  });

  it('does not repeat a hint within its quiet time, and keeps the newest few', () => {
    const scenario = lesson('lesson-1-postal');
    const hints = new ReactiveHints(scenario, 'r-west', SEAT);
    const me = scenario.nodeIndex.get('r-west') ?? -1;
    const at = (
      tUs: number,
      reason: 'queue-full' | 'red-drop' | 'ttl-expired' | 'hand-timeout' | 'hand-queue-full',
    ): SimRecord => ({
      k: 'drop',
      tUs,
      packetId: 1,
      channel: 'udp',
      flow: 0,
      unit: 0,
      reason,
      node: me,
      link: -1,
    });
    hints.add(at(0, 'queue-full'), null);
    hints.add(at(HINT_REPEAT_US - 1, 'queue-full'), null);
    expect(hints.list.map((h) => h.atUs)).toEqual([0]);
    hints.add(at(HINT_REPEAT_US, 'queue-full'), null);
    expect(hints.list.map((h) => h.atUs)).toEqual([HINT_REPEAT_US]);
    for (const [i, r] of (['red-drop', 'ttl-expired', 'hand-timeout', 'hand-queue-full'] as const).entries())
      hints.add(at(HINT_REPEAT_US + i + 1, r), null);
    expect(hints.list).toHaveLength(HINTS_KEPT);
    expect(hints.list[0]?.key).toBe('hand-queue-full');
  });
});

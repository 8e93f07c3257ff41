/**
 * Lesson 6's L4 half, measured headless: four clients keep long-lived chat connections
 * (WebSocket-like: a message every half second on one connection, SPEC KA-1) through the
 * chat balancer, an L4 balancer that starts without connection tracking. A chat survives
 * while every packet of it reaches the server that accepted it, and breaks when the
 * balancer moves it (SPEC LB-L4-2, LB-L4-4). Chat 2's cable is cut at 40 s.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { US_PER_S } from '../engine/units.ts';
import type { L4lbView } from '../roles/l4lb/view.ts';
import { nodeView } from '../roles/registry.ts';
import { loadScenario } from '../scenario/scenario.ts';
import type { SimCommand } from '../simulation/commands.ts';
import { Simulation } from '../simulation/simulation.ts';

const path = join(import.meta.dirname, '../../../../scenarios/lesson-6-traffic-cops.json');
const lesson6 = loadScenario(readFileSync(path, 'utf8'), path);
const LB = 'chat-lb';
/** Before Chat 2's cable is cut: nothing but the balancer can break a chat. */
const CALM_US = 38 * US_PER_S;

type Cmd = Omit<SimCommand, 'node'> & Record<string, unknown>;

function play(commands: { atS: number; cmd: Cmd }[], untilUs = CALM_US, seed = 1) {
  const sim = new Simulation(lesson6, seed);
  for (const { node } of lesson6.seats) sim.apply({ type: 'seat.player', node });
  const chatFlows = new Set(lesson6.file.traffic.flatMap((f, i) => (f.id.startsWith('chat-') ? [i] : [])));
  const toChatLb = new Set(lesson6.file.traffic.flatMap((f, i) => ('to' in f && f.to === LB ? [i] : [])));
  const broken: string[] = [];
  /** Packets dropped at the balancer because it had forgotten their connection: when. */
  const movedDrops: number[] = [];
  let chatDone = 0;
  let chatFailed = 0;
  /** Every failed request of the chat balancer's flows: its reason and when. */
  const failed: { reason: string; tUs: number }[] = [];
  /** Each chat connection's backends, by flow and the unit that opened it. */
  const assigned = new Map<string, string[]>();
  sim.onRecord((r) => {
    if (r.k === 'lbConnBroken') broken.push(r.reason);
    if (r.k === 'drop' && r.reason === 'conn-moved') movedDrops.push(r.tUs);
    if (r.k === 'lbAssigned' && chatFlows.has(r.flow)) {
      const key = `${r.flow}:${r.unit}`;
      assigned.set(key, [...(assigned.get(key) ?? []), r.backend]);
    }
    if (r.k === 'requestCompleted' && chatFlows.has(r.flow)) chatDone++;
    if (r.k === 'requestFailed' && chatFlows.has(r.flow)) chatFailed++;
    if (r.k === 'requestFailed' && toChatLb.has(r.flow)) failed.push({ reason: r.reason, tUs: r.tUs });
  });
  let t = 0;
  for (const { atS, cmd } of commands) {
    sim.advanceTo(atS * US_PER_S);
    t = atS;
    const refused = sim.apply({ node: LB, ...cmd } as SimCommand);
    if (refused) throw new Error(refused);
  }
  if (t * US_PER_S < untilUs) sim.advanceTo(untilUs);
  return { broken, movedDrops, failed, chatDone, chatFailed, assigned, view: nodeView(sim, LB) as L4lbView };
}

describe('lesson 6: a pinned chat survives under L4 tracking and breaks when moved — SPEC LB-L4-2, LB-L4-4, KA-1', () => {
  it.each([1, 2, 3])('seed %i: with tracking on, every chat keeps its server and none breaks', (seed) => {
    const { broken, chatDone, chatFailed, assigned, view } = play(
      [{ atS: 0, cmd: { type: 'l4lb.tracking', on: true } }],
      CALM_US,
      seed,
    );
    expect(broken).toEqual([]);
    expect(chatFailed).toBe(0);
    // Four chats, a message every 500 ms from about 0.5–2.6 s on: about 4 × 70 messages.
    expect(chatDone).toBeGreaterThan(250);
    // One backend per connection (its SYN's), and round robin spread the connections over all three.
    for (const backends of assigned.values()) expect(backends).toHaveLength(1);
    expect(new Set([...assigned.values()].flat()).size).toBe(3);
    expect(view.broken).toBe(0);
  });

  it('the lesson starts without tracking: round robin moves each chat off its server and it breaks (conn-moved)', () => {
    const { broken, chatDone, chatFailed, view } = play([]);
    expect(broken.length).toBeGreaterThan(10);
    expect(new Set(broken)).toEqual(new Set(['conn-moved']));
    expect(view.broken).toBe(broken.length);
    // A chat's messages after its break have no connection: far more fail than arrive.
    expect(chatFailed).toBeGreaterThan(5 * chatDone);
  });

  it('a hash finds the same server again without tracking, while the pool stays the same', () => {
    for (const algorithm of ['source-hash', 'maglev']) {
      const { broken, chatFailed, chatDone } = play([{ atS: 0, cmd: { type: 'l4lb.algorithm', algorithm } }]);
      expect(broken, algorithm).toEqual([]);
      expect(chatFailed, algorithm).toBe(0);
      expect(chatDone, algorithm).toBeGreaterThan(250);
    }
  });

  it('a restart that forgets the table strands every chat open at that moment: its packets are dropped as moved and its messages time out', () => {
    const { movedDrops, failed, assigned } = play(
      [
        { atS: 0, cmd: { type: 'l4lb.tracking', on: true } },
        { atS: 20, cmd: { type: 'l4lb.flush' } },
      ],
      CALM_US,
    );
    const FLUSH_US = 20 * US_PER_S;
    // Nothing failed before the restart; the next packets of the chats open then are dropped as moved.
    expect(failed.filter((f) => f.tUs < FLUSH_US)).toEqual([]);
    expect(movedDrops.length).toBeGreaterThan(8);
    expect(Math.min(...movedDrops)).toBeGreaterThanOrEqual(FLUSH_US);
    // Their messages wait in vain and time out, chat after chat.
    expect(failed.length).toBeGreaterThan(20);
    expect(new Set(failed.map((f) => f.reason))).toEqual(new Set(['timed-out']));
    // Connections opened after the restart are tracked again: still one backend each.
    for (const backends of assigned.values()) expect(backends).toHaveLength(1);
  });

  it('the cut cable breaks only the chats pinned to Chat 2, once its health checks take it out', () => {
    const { broken, view } = play([{ atS: 0, cmd: { type: 'l4lb.tracking', on: true } }], 60 * US_PER_S);
    const chat2 = view.backends.find((b) => b.id === 'chat-2');
    expect(chat2?.healthy).toBe(false);
    expect(new Set(broken)).toEqual(new Set(['backend-down']));
    expect(view.backends.filter((b) => b.id !== 'chat-2').every((b) => b.broken === 0)).toBe(true);
  });
});

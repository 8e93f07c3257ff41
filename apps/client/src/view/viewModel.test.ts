import { readFileSync } from 'node:fs';
import { loadScenario, Simulation } from '@roundtrip/sim';
import { describe, expect, it } from 'vitest';
import { dnsScenario, lookups } from '../../../../packages/sim/src/testing/dnsScenario.ts';
import { Replica } from '../net/replica.ts';
import { insideWidth } from './mapLayout.ts';
import { badgeBox, COLORS, NetworkViewModel, nodeScale, waitingBox, wrapToWidth } from './viewModel.ts';

const scenario = loadScenario(
  readFileSync(new URL('../../../../scenarios/lesson-2-mail.json', import.meta.url), 'utf8'),
  'lesson-2-mail.json',
);

/** A view-model over a replica of `sc` (lesson 2: its short cut loses packets) that has run `ticks` ticks of `tickUs`. */
function viewAfter(
  ticks: number,
  timeRate = 1,
  sc = scenario,
  tickUs = 50_000,
  minTextPx?: number,
  bots = true,
) {
  const authority = new Simulation(sc, 3);
  if (bots) for (const { node } of sc.seats) authority.apply({ type: 'seat.bot', node });
  const replica = new Replica({ scenario: sc, copy: 0, requestResync: () => {} });
  replica.handleSnapshot({ copy: 0, tick: 0, seed: 3, bytes: authority.snapshot() });
  const vm = new NetworkViewModel({
    replica,
    linkUtilPct: () => 0,
    timeRate: () => timeRate,
    myNode: null,
    selectedLink: () => null,
    inspectedPacket: () => null,
    ...(minTextPx === undefined ? {} : { minTextPx, minPacketPx: minTextPx / 2 }),
  });
  const sim = replica.sim as Simulation;
  for (let tick = 1; tick <= ticks; tick++)
    replica.handleTick({ copy: 0, tick, simTimeUs: sim.nowUs + tickUs, commands: [] });
  return vm;
}

describe('the projector view — SPEC HOST-9', () => {
  it('HOST-9: text is never under its minimum, packets are large, and badges still never overlap', () => {
    const vm = viewAfter(200, 1, scenario, 50_000, 28);
    vm.resize(1400, 860);
    const k = nodeScale(1400, 860);
    expect(vm.labelFontPx(k)).toBeGreaterThanOrEqual(28);
    expect(vm.badgeFontPx(k)).toBeGreaterThanOrEqual(28);
    expect(vm.smallFontPx(k)).toBeGreaterThanOrEqual(22);
    const f = vm.frame(performance.now());
    expect(f.packets.length).toBeGreaterThan(0);
    for (const p of f.packets) expect(p.size).toBeGreaterThanOrEqual(12);
    const boxes = f.badges.map((b) => badgeBox(b.text, b.x, b.y, vm.badgeFontPx(k)));
    expect(boxes.length).toBeGreaterThan(0);
    for (let i = 0; i < boxes.length; i++)
      for (let j = i + 1; j < boxes.length; j++) {
        const [a, b] = [boxes[i], boxes[j]] as [ReturnType<typeof badgeBox>, ReturnType<typeof badgeBox>];
        expect(a.right <= b.left || b.right <= a.left || a.bottom <= b.top || b.bottom <= a.top).toBe(true);
      }
  });
});

describe('drop badges — SPEC VIEW-1', () => {
  it('VIEW-1: a badge wider than the map wraps between words to fit it, and stays one line when it fits', () => {
    const long =
      '✖ dropped by the balancer: the connection moved to a backend that does not know it ×12 packets';
    expect(badgeBox(long, 195, 200, 10).right - badgeBox(long, 195, 200, 10).left).toBeGreaterThan(390);
    const wrapped = wrapToWidth(long, 10, 382);
    expect(wrapped.split('\n').length).toBeGreaterThan(1);
    expect(wrapped.replaceAll('\n', ' ')).toBe(long);
    const box = badgeBox(wrapped, 195, 200, 10);
    expect(box.right - box.left).toBeLessThanOrEqual(382);
    // Taller by its extra lines, so stacked badges keep clear of it.
    expect(box.bottom - box.top).toBeCloseTo(wrapped.split('\n').length * 12.5 + 6);
    expect(wrapToWidth('✖ lost ×3 packets', 10, 382)).toBe('✖ lost ×3 packets');
  });

  it('VIEW-1: a badge by a node at the edge of a narrow map moves inside it', () => {
    const box = badgeBox('✖ host down: its data centre is dark ×76 packets', 40, 200, 10);
    expect(box.left).toBeLessThan(0);
    const moved = insideWidth(box, 390);
    expect(moved.left).toBe(0);
    expect(moved.right - moved.left).toBeCloseTo(box.right - box.left);
    expect(insideWidth(badgeBox('✖ lost', 385, 200, 10), 390).right).toBe(390);
    const vm = viewAfter(200);
    vm.resize(390, 300);
    const k = nodeScale(390, 300);
    for (const b of vm.frame(performance.now()).badges) {
      const drawn = badgeBox(b.text, b.x, b.y, vm.badgeFontPx(k));
      expect(drawn.left).toBeGreaterThanOrEqual(-0.001);
      expect(drawn.right).toBeLessThanOrEqual(390.001);
    }
  });

  it('VIEW-1: never cover one another, on a phone or a desktop', () => {
    const vm = viewAfter(200);
    for (const [width, height] of [
      [390, 240],
      [1000, 600],
    ] as const) {
      vm.resize(width, height);
      const k = nodeScale(width, height);
      const badges = vm.frame(performance.now()).badges;
      // The lossy short cut's two links are neighbours: their badges start out on top of each other on a phone.
      expect(badges.filter((b) => b.text.includes('lost on the wire')).length).toBeGreaterThanOrEqual(2);
      const boxes = badges.map((b) => badgeBox(b.text, b.x, b.y, vm.badgeFontPx(k)));
      for (let i = 0; i < boxes.length; i++)
        for (let j = i + 1; j < boxes.length; j++) {
          const [a, b] = [boxes[i], boxes[j]] as [ReturnType<typeof badgeBox>, ReturnType<typeof badgeBox>];
          const apart = a.right <= b.left || b.right <= a.left || a.bottom <= b.top || b.bottom <= a.top;
          expect(apart, `${badges[i]?.text} and ${badges[j]?.text} at ${width}×${height}`).toBe(true);
        }
    }
  });
});

describe('drop badges and the waiting badge — SPEC VIEW-1', () => {
  it('VIEW-1: a drop badge never covers a router\'s "waiting" badge (lesson 1, nobody forwarding)', () => {
    const lesson1 = loadScenario(
      readFileSync(new URL('../../../../scenarios/lesson-1-postal.json', import.meta.url), 'utf8'),
      'lesson-1-postal.json',
    );
    // 20 simulated seconds with hand forwarding on and nobody at the routers: packets wait and time out.
    const vm = viewAfter(400, 1, lesson1, 50_000, undefined, false);
    for (const [width, height] of [
      [390, 260],
      [880, 670],
    ] as const) {
      vm.resize(width, height);
      const k = nodeScale(width, height);
      const f = vm.frame(performance.now());
      expect(f.waiting.length).toBeGreaterThan(0);
      expect(f.badges.some((b) => b.text.includes('waited too long'))).toBe(true);
      for (const w of f.waiting)
        for (const b of f.badges) {
          const [a, c] = [waitingBox(w), badgeBox(b.text, b.x, b.y, k)];
          const apart = a.right <= c.left || c.right <= a.left || a.bottom <= c.top || c.bottom <= a.top;
          expect(apart, `${b.text} over ${w.id}'s waiting badge at ${width}×${height}`).toBe(true);
        }
    }
  });
});

describe('packets between ticks — SPEC VIEW-2', () => {
  it("VIEW-2: move on at the round's speed until one tick ahead, then wait for the next tick", () => {
    // Lesson speed 0.1: a tick (50 ms of wall time) advances 5 ms of simulated time.
    const vm = viewAfter(40, 0.1);
    const at = (wallMs: number) => vm.frame(wallMs).packets.map((p) => `${p.x.toFixed(1)},${p.y.toFixed(1)}`);
    // The last tick was applied at wall time 0.
    expect(at(25)).not.toEqual(at(0)); // moving between ticks
    expect(at(500)).toEqual(at(50)); // a late tick: no further than one tick ahead
    expect(at(50)).not.toEqual(at(25));
  });
});

describe('packet shapes — SPEC VIEW-6', () => {
  it('VIEW-6: DNS packets are teal diamonds, every other packet a square', () => {
    const dns = loadScenario(dnsScenario({ traffic: [lookups(['www.example'], 1_000)] }), 'dns-line.json');
    // 3 ms into the run the first query is on its way to the resolver.
    const packets = viewAfter(3, 1, dns, 1_000).frame(0).packets;
    expect(packets.length).toBeGreaterThan(0);
    for (const p of packets) expect([p.shape, p.color]).toEqual(['diamond', COLORS.dns]);
    for (const p of viewAfter(40).frame(0).packets) expect(p.shape).toBe('square');
  });
});

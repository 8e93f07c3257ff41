import { readFileSync } from 'node:fs';
import { loadScenario } from '@roundtrip/sim';
import { describe, expect, it } from 'vitest';
import { type Box, overlaps, overlaySpot, placePoolTags, poolTagBox } from './mapLayout.ts';
import { NODE_STYLES, shapeSizePx } from './nodeStyles.ts';
import { replicaView } from './replicaView.fixture.ts';
import { nodeScale } from './viewModel.ts';

const lesson6 = loadScenario(
  readFileSync(new URL('../../../../scenarios/lesson-6-traffic-cops.json', import.meta.url), 'utf8'),
  'lesson-6-traffic-cops.json',
);

/** "Inspect a packet" as the round screen draws it (0.85rem bold, padded), px, with a little to spare. */
const BUTTON = { widthPx: 156, heightPx: 38 };

/** Lesson 6 as the shop balancer's player sees it on a canvas of `widthPx` × `heightPx`: node cards, pool tags, the button. */
function lesson6Map(widthPx: number, heightPx: number) {
  const { vm } = replicaView(lesson6, 'shop-lb');
  vm.resize(widthPx, heightPx);
  const k = nodeScale(widthPx, heightPx);
  const f = vm.frame(performance.now());
  const cards = f.nodes.map((n) => {
    const { widthPx: w, heightPx: h } = shapeSizePx(NODE_STYLES[n.kind], k, vm.textBoost(k));
    return {
      id: n.id,
      box: { left: n.x - w / 2, right: n.x + w / 2, top: n.y - h / 2, bottom: n.y + h / 2 },
    };
  });
  const tags = f.pools.map((p) => ({
    label: p.label,
    box: poolTagBox(p.label, p.x, p.y, vm.smallFontPx(k)),
  }));
  return { cards, tags, button: vm.overlaySpot(BUTTON, 8) };
}

const clear = (a: Box, b: Box) => !overlaps(a, b);

describe('the map keeps its words and its button off the nodes — SPEC VIEW-12, VIEW-15', () => {
  // A phone (390 wide, the map 38 % of 844 tall) and the laptops the lessons are tried on.
  it.each([
    [390, 320],
    [966, 668],
    [830, 620],
  ])(
    'VIEW-12, VIEW-15: lesson 6 at %i×%i: pool names cover no card nor each other; the button covers no card',
    (w, h) => {
      const { cards, tags, button } = lesson6Map(w, h);
      expect(tags.map((t) => t.label.replace('pool ', ''))).toEqual(['front', 'api']);
      for (const t of tags) {
        for (const c of cards) expect(clear(t.box, c.box), `${t.label} on ${c.id}`).toBe(true);
        expect(t.box.left).toBeGreaterThanOrEqual(0);
        expect(t.box.right).toBeLessThanOrEqual(w);
      }
      expect(clear(tags[0]?.box as Box, tags[1]?.box as Box)).toBe(true);
      for (const c of cards) expect(clear(button, c.box), `button on ${c.id}`).toBe(true);
      for (const t of tags) expect(clear(button, t.box), `button on ${t.label}`).toBe(true);
    },
  );

  it('VIEW-12: a tag stays 45 % of the way to its pool while that is clear', () => {
    const balancer = { left: 90, right: 110, top: 90, bottom: 110 };
    const [tag] = placePoolTags(
      [{ name: 'api', balancer, ax: 100, ay: 100, mx: 300, my: 100 }],
      [balancer],
      12,
      400,
      400,
    );
    expect(tag).toEqual({ label: 'pool api', x: 190, y: 100 });
  });

  it('VIEW-12: a covered tag moves beside its balancer, on its pool’s side, and shortens to the name when only that fits', () => {
    const balancer = { left: 80, right: 120, top: 90, bottom: 110 };
    const wall = { left: 121, right: 400, top: 0, bottom: 400 };
    const [up, down] = placePoolTags(
      [
        { name: 'front', balancer, ax: 100, ay: 100, mx: 300, my: 60 },
        { name: 'api', balancer, ax: 100, ay: 100, mx: 300, my: 140 },
      ],
      [balancer, wall],
      12,
      400,
      400,
    );
    expect(up?.label).toBe('pool front');
    expect(up?.y).toBeLessThan(balancer.top);
    expect(down?.y).toBeGreaterThan(balancer.bottom);
    // Room for "api" only, left of the wall.
    const [short] = placePoolTags(
      [{ name: 'api', balancer, ax: 100, ay: 100, mx: 300, my: 140 }],
      [balancer, { left: 122, right: 400, top: 0, bottom: 400 }, { left: 0, right: 78, top: 0, bottom: 400 }],
      12,
      400,
      400,
    );
    expect(short?.label).toBe('api');
  });

  it('VIEW-15: the button takes the first clear corner, top right first, and the least covered when none is', () => {
    const canvas = { widthPx: 400, heightPx: 300 };
    const size = { widthPx: 100, heightPx: 30 };
    expect(overlaySpot(size, 8, canvas, []).corner).toBe('top-right');
    const topRight = { left: 350, right: 390, top: 10, bottom: 40 };
    expect(overlaySpot(size, 8, canvas, [topRight]).corner).toBe('top-left');
    const topLeft = { left: 10, right: 40, top: 10, bottom: 40 };
    expect(overlaySpot(size, 8, canvas, [topRight, topLeft]).corner).toBe('bottom-right');
    const everywhere = { left: 0, right: 400, top: 0, bottom: 300 };
    expect(overlaySpot(size, 8, canvas, [everywhere, topLeft]).corner).toBe('top-right');
  });
});

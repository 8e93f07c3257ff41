import type { Scenario } from '@roundtrip/sim';

/** Every node kind a scenario can hold: `host` and each role. */
export type NodeKind = Scenario['file']['nodes'][number]['kind'];

/** An outline: its width at scale 1 and colour. */
interface Stroke {
  widthPx: number;
  color: number;
}

/** How one kind of node is drawn on the map (NetworkScene reads this, nothing else). */
export interface NodeStyle {
  /** A circle of `radiusPx`, or a rounded card of `widthPx` × `heightPx`, at scale 1; never below the minimums. */
  shape:
    | { kind: 'circle'; radiusPx: number; minRadiusPx: number }
    | {
        kind: 'card';
        widthPx: number;
        heightPx: number;
        minWidthPx: number;
        minHeightPx: number;
        cornerPx: number;
      };
  fill: number;
  stroke: Stroke;
  /** The player's own node stands out. */
  fillMine: number;
  strokeMine: Stroke;
  /** The label sits below the shape, or inside it above the address. */
  label: 'below' | 'inside';
  /** Hosts and resolvers show their address under the label. */
  showsAddress: boolean;
}

/**
 * One style per node kind; the compiler asks for an entry for every kind, so a
 * new role comes with the way it is drawn.
 */
export const NODE_STYLES: { readonly [K in NodeKind]: NodeStyle } = {
  host: {
    shape: { kind: 'card', widthPx: 124, heightPx: 46, minWidthPx: 70, minHeightPx: 32, cornerPx: 10 },
    fill: 0x1d2a47,
    stroke: { widthPx: 2, color: 0xcfd8ff },
    fillMine: 0x1d2a47,
    strokeMine: { widthPx: 2, color: 0xcfd8ff },
    label: 'inside',
    showsAddress: true,
  },
  router: {
    shape: { kind: 'circle', radiusPx: 24, minRadiusPx: 12 },
    fill: 0x2b3a67,
    stroke: { widthPx: 3, color: 0x8fa8ff },
    fillMine: 0xffc83d,
    strokeMine: { widthPx: 5, color: 0xfff1c2 },
    label: 'below',
    showsAddress: false,
  },
  /** A card like a host's (it has an address and one link), teal, and gold when it is the player's. */
  resolver: {
    shape: { kind: 'card', widthPx: 124, heightPx: 46, minWidthPx: 70, minHeightPx: 32, cornerPx: 18 },
    fill: 0x123c3a,
    stroke: { widthPx: 3, color: 0x64ffda },
    fillMine: 0x5c4a12,
    strokeMine: { widthPx: 5, color: 0xffc83d },
    label: 'inside',
    showsAddress: true,
  },
  /** A card like a resolver's (an address, one link), violet: the service's virtual IP. */
  l4lb: {
    shape: { kind: 'card', widthPx: 124, heightPx: 46, minWidthPx: 70, minHeightPx: 32, cornerPx: 4 },
    fill: 0x2e1f4d,
    stroke: { widthPx: 3, color: 0xb388ff },
    fillMine: 0x5c4a12,
    strokeMine: { widthPx: 5, color: 0xffc83d },
    label: 'inside',
    showsAddress: true,
  },
  /** A card like the L4 balancer's with rounder corners, magenta: it reads each request, not only addresses. */
  l7lb: {
    shape: { kind: 'card', widthPx: 124, heightPx: 46, minWidthPx: 70, minHeightPx: 32, cornerPx: 12 },
    fill: 0x3d1a3f,
    stroke: { widthPx: 3, color: 0xf06292 },
    fillMine: 0x5c4a12,
    strokeMine: { widthPx: 5, color: 0xffc83d },
    label: 'inside',
    showsAddress: true,
  },
};

/**
 * A node's shape at node scale `k` with text `boost` (the projector's larger type): a card's
 * width and height, or a circle's diameter both ways. NetworkScene draws it; the view-model
 * keeps labels and the map's buttons clear of it.
 */
export function shapeSizePx(
  style: NodeStyle,
  k: number,
  boost: number,
): { widthPx: number; heightPx: number } {
  const shape = style.shape;
  if (shape.kind === 'circle') {
    const d = 2 * Math.max(shape.minRadiusPx, shape.radiusPx * k);
    return { widthPx: d, heightPx: d };
  }
  return {
    widthPx: Math.max(shape.minWidthPx, shape.widthPx * k * boost),
    heightPx: Math.max(shape.minHeightPx, shape.heightPx * k * boost),
  };
}

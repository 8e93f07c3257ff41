import { TICK_HZ } from '@roundtrip/protocol';
import {
  ACK,
  type Channel,
  FIN,
  LOSS_REASON_TEXT,
  linkViews,
  packetsInFlight,
  RST,
  type SimRecord,
  SYN,
} from '@roundtrip/sim';
import type { Replica } from '../net/replica.ts';
import {
  type AssignDraw,
  BalancerTrails,
  type CpuDraw,
  type PoolDraw,
  type ServerLoadDraw,
} from './balancerDraws.ts';
import { type Box, insideWidth, overlaps, overlaySpot, placePoolTags, poolTagBox } from './mapLayout.ts';
import { NODE_STYLES, type NodeKind, shapeSizePx } from './nodeStyles.ts';

/** Design space of scenario coordinates (scenarioSchema: x 0..1000, y 0..600). */
export const DESIGN_W = 1000;
export const DESIGN_H = 600;

/** How long a drop badge stays, wall ms; most badges on screen at once. */
const BADGE_MS = 2_600;
const BADGES_MAX = 10;

export const COLORS = {
  udp: 0xffb74d,
  tcp: 0x4fc3f7,
  quic: 0xb388ff,
  dns: 0x64ffda,
  tcpControl: 0x7cf29a,
  tcpClose: 0xf48fb1,
  linkIdle: 0x51618a,
  linkDown: 0xff5252,
} as const;

export interface NodeView {
  id: string;
  kind: NodeKind;
  label: string;
  /** Nodes with an address (hosts, resolvers); '' for routers. */
  address: string;
  x: number;
  y: number;
  mine: boolean;
}

export interface LinkDraw {
  id: string;
  ax: number;
  ay: number;
  bx: number;
  by: number;
  up: boolean;
  /** 0..1: busier direction's share of capacity. */
  util: number;
  /** 0..1 queue fill a→b and b→a. */
  queueAB: number;
  queueBA: number;
  selected: boolean;
}

export interface PacketDraw {
  id: number;
  x: number;
  y: number;
  color: number;
  size: number;
  /** DNS packets are diamonds, every other packet a square: told apart by shape as well as colour. */
  shape: 'square' | 'diamond';
  /** The packet the inspector holds: drawn with a ring. */
  inspected: boolean;
}

export interface BadgeDraw {
  x: number;
  y: number;
  text: string;
  alpha: number;
}

/** Where the live figures come from; the scene never sees these. */
export interface ViewSource {
  replica: Replica;
  /** Room-state figures of a link in the drawn copy (utilisation is only computed by the server). */
  linkUtilPct(linkId: string): number;
  /** Simulated seconds per wall second while running, 0 while paused or not started. */
  timeRate(): number;
  /** The node the player holds (drawn as theirs); null for the host. */
  myNode: string | null;
  selectedLink(): string | null;
  /** The packet the inspector holds while it is in the network, or null. */
  inspectedPacket(): number | null;
  /**
   * Smallest text and packet sizes, px (the projector view: readable from the back of
   * a classroom, SPEC HOST-9); the scaled sizes otherwise.
   */
  minTextPx?: number;
  minPacketPx?: number;
}

/** Packets waiting at a node for hand forwarding (lesson 1). */
export interface WaitingDraw {
  id: string;
  x: number;
  y: number;
  count: number;
}

export interface Frame {
  nodes: NodeView[];
  waiting: WaitingDraw[];
  links: LinkDraw[];
  packets: PacketDraw[];
  badges: BadgeDraw[];
  /** The L4 balancers' fading lines to the backends they chose, and their backends' queues (SPEC VIEW-9, VIEW-10). */
  assigns: AssignDraw[];
  serverLoads: ServerLoadDraw[];
  /** The L7 balancers' pools and CPUs (SPEC VIEW-12, VIEW-13). */
  pools: PoolDraw[];
  cpus: CpuDraw[];
  /** Size scale for nodes and text (1 = the 1000×600 design at 1:1). */
  k: number;
}

interface Badge {
  node: number;
  link: number;
  reason: keyof typeof LOSS_REASON_TEXT;
  /** Packets dropped, pinned connections a balancer broke (SPEC VIEW-11), or requests an L7 balancer refused (VIEW-14). */
  kind: 'drop' | 'broken' | 'refused';
  count: number;
  untilMs: number;
}

/** Why a balancer broke a pinned connection, in a badge's words (SPEC VIEW-11). */
const BROKEN_TEXT = {
  'backend-down': 'its backend is down',
  'conn-moved': 'moved to another backend',
} as const;

/** Why an L7 balancer refused a request, in a badge's words (SPEC VIEW-14). */
export const L7_REFUSED_TEXT = {
  'no-route': 'no rule takes its path',
  'backend-down': 'its pool’s backends are down',
  'pool-overloaded': 'the balancer is overloaded',
} as const;

/**
 * Turns the replica (packets, queues, link state) and the room's figures into
 * things to draw at canvas size: positions scaled from the design space,
 * packet positions interpolated between ticks, drop badges where packets died.
 */
export class NetworkViewModel {
  readonly source: ViewSource;
  /** Called when a node or a link is clicked on the canvas. */
  onNodeClick: ((id: string) => void) | null = null;
  onLinkClick: ((id: string) => void) | null = null;
  /** Called with a packet's id when it is clicked or tapped (the packet inspector). */
  onPacketClick: ((id: number) => void) | null = null;
  private badges: Badge[] = [];
  private width = DESIGN_W;
  private height = DESIGN_H;
  private pos: { x: number; y: number }[] = [];
  private nodes: NodeView[] = [];
  /** What words and the overlay button keep clear of: each node's shape, its label and marks, in canvas px. */
  private nodeBoxes: Box[] = [];
  /** Each L7 pool's tag as placed for this size (SPEC VIEW-12), in the order BalancerTrails.pools gives them. */
  private poolTags: { label: string; x: number; y: number }[] = [];
  /** Called after each re-layout (the round screen moves its overlay button, VIEW-15). */
  onLayout: (() => void) | null = null;
  /** Packets as last drawn, for picking by position. */
  private drawn: PacketDraw[] = [];
  private readonly trails: BalancerTrails;
  /** The L7 balancers' node indexes: packets dropped there are refused requests (VIEW-14). */
  private readonly l7Nodes: ReadonlySet<number>;

  constructor(source: ViewSource) {
    this.source = source;
    this.trails = new BalancerTrails(source.replica.scenario);
    this.l7Nodes = new Set(
      source.replica.scenario.file.nodes.flatMap((n, i) => (n.kind === 'l7lb' ? [i] : [])),
    );
    source.replica.onRecord((r) => this.record(r));
    this.resize(DESIGN_W, DESIGN_H);
  }

  get scale(): number {
    return Math.min(this.width / DESIGN_W, this.height / DESIGN_H);
  }

  /** Re-lays node positions for a canvas of this size. */
  resize(width: number, height: number): void {
    this.width = Math.max(1, width);
    this.height = Math.max(1, height);
    const k = nodeScale(this.width, this.height);
    const padX = Math.max(44, 62 * k);
    const padY = Math.max(30, 40 * k);
    const sx = (this.width - 2 * padX) / DESIGN_W;
    const sy = (this.height - 2 * padY) / DESIGN_H;
    const sc = this.source.replica.scenario;
    this.pos = sc.file.nodes.map((n) => ({ x: padX + n.x * sx, y: padY + n.y * sy }));
    this.nodes = sc.file.nodes.map((n, i) => ({
      id: n.id,
      kind: n.kind,
      label: n.label || n.id,
      address: 'address' in n ? n.address : '',
      x: this.pos[i]?.x ?? 0,
      y: this.pos[i]?.y ?? 0,
      mine: n.id === this.source.myNode,
    }));
    this.nodeBoxes = this.nodes.map((n) => this.nodeBox(n, k));
    const pools = this.trails.pools(this.pos);
    const fontPx = this.smallFontPx(k);
    this.poolTags = placePoolTags(
      pools.map((p) => {
        const at = this.pos[p.lb] ?? { x: p.x, y: p.y };
        const balancer = this.nodeBoxes[p.lb] ?? { left: at.x, right: at.x, top: at.y, bottom: at.y };
        return { name: p.name, balancer, ax: at.x, ay: at.y, mx: p.mx, my: p.my };
      }),
      this.nodeBoxes,
      fontPx,
      this.width,
      this.height,
    );
    this.onLayout?.();
  }

  /**
   * Node `n`'s box at scale `k`: its shape, a circle's label below it, a card's load bars
   * beside its left side (VIEW-10, VIEW-13; kept for every card) and the player's mark above.
   */
  private nodeBox(n: NodeView, k: number): Box {
    const style = NODE_STYLES[n.kind];
    const { widthPx, heightPx } = shapeSizePx(style, k, this.textBoost(k));
    const box = {
      left: n.x - widthPx / 2,
      right: n.x + widthPx / 2,
      top: n.y - heightPx / 2,
      bottom: n.y + heightPx / 2,
    };
    if (style.label === 'below') {
      const fontPx = this.labelFontPx(k);
      const half =
        Math.min([...n.label].length * fontPx * 0.62, Math.max(80, 130 * k) * this.textBoost(k)) / 2;
      box.left = Math.min(box.left, n.x - half);
      box.right = Math.max(box.right, n.x + half);
      box.bottom += 4 + fontPx * 1.25;
    }
    if (style.shape.kind === 'card') box.left -= 5 + 2 * Math.max(3, 4 * k);
    if (n.mine) box.top -= 3 + this.smallFontPx(k) * 1.25;
    return box;
  }

  /**
   * Where a button of `widthPx` × `heightPx` floats over the map, `marginPx` in from its edges:
   * the first corner (top right, top left, bottom right, bottom left) where it covers no node,
   * label or pool name, nor anything in `keepClear` (the legend) (SPEC VIEW-15).
   */
  overlaySpot(
    size: { widthPx: number; heightPx: number },
    marginPx: number,
    keepClear: readonly Box[] = [],
  ): Box {
    const k = nodeScale(this.width, this.height);
    const tags = this.poolTags.map((t) => poolTagBox(t.label, t.x, t.y, this.smallFontPx(k)));
    return overlaySpot(size, marginPx, { widthPx: this.width, heightPx: this.height }, [
      ...this.nodeBoxes,
      ...tags,
      ...keepClear,
    ]).box;
  }

  /** Everything to draw now. `nowMs` is performance.now(). */
  frame(nowMs: number): Frame {
    // Ticks arrive in batches and are played out one tick time apart (SPEC SYNC-3): bring the replica up to now.
    this.source.replica.play(nowMs);
    const k = nodeScale(this.width, this.height);
    this.drawn = this.packetDraws(nowMs, k);
    const waiting = this.waitingDraws(k);
    const l7 = this.trails.observeL7(this.source.replica.sim, nowMs);
    const pools = this.trails.pools(this.pos).map((p, i) => ({ ...p, ...this.poolTags[i] }));
    return {
      nodes: this.nodes,
      waiting,
      links: this.linkDraws(),
      packets: this.drawn,
      // Drop badges keep clear of the "waiting" badges: those are what a player acts on.
      badges: this.badgeDraws(nowMs, k, [
        ...waiting.map((w) => waitingBox(w)),
        ...pools.map((p) => poolTagBox(p.label, p.x, p.y, this.smallFontPx(k))),
      ]),
      assigns: this.trails.assigns(nowMs, this.pos),
      serverLoads: this.trails.serverLoads(this.source.replica.sim, this.pos, l7),
      pools,
      cpus: this.trails.cpus(l7, this.pos),
      k,
    };
  }

  private waitingDraws(k: number): WaitingDraw[] {
    const sim = this.source.replica.sim;
    if (!sim) return [];
    const out: WaitingDraw[] = [];
    sim.st.roles.forEach((r, i) => {
      const at = this.pos[i];
      const id = this.nodes[i]?.id;
      if (r?.role !== 'router' || !at || !id || r.handQueue.length === 0) return;
      out.push({ id, x: at.x + 22 * k, y: at.y - 22 * k, count: r.handQueue.length });
    });
    return out;
  }

  private linkDraws(): LinkDraw[] {
    const { replica } = this.source;
    const sc = replica.scenario;
    const live = replica.sim ? linkViews(replica.sim) : null;
    const selected = this.source.selectedLink();
    return sc.file.links.map((spec, i) => {
      const a = this.pos[sc.nodeIndex.get(spec.a) ?? -1] ?? { x: 0, y: 0 };
      const b = this.pos[sc.nodeIndex.get(spec.b) ?? -1] ?? { x: 0, y: 0 };
      const view = live?.[i];
      const limit = spec.queuePackets;
      return {
        id: spec.id,
        ax: a.x,
        ay: a.y,
        bx: b.x,
        by: b.y,
        up: view ? view.up : spec.up,
        util: Math.min(1, this.source.linkUtilPct(spec.id) / 100),
        queueAB: view ? Math.min(1, view.dirs[0].queuePackets / limit) : 0,
        queueBA: view ? Math.min(1, view.dirs[1].queuePackets / limit) : 0,
        selected: spec.id === selected,
      };
    });
  }

  private packetDraws(nowMs: number, k: number): PacketDraw[] {
    const { replica } = this.source;
    const sim = replica.sim;
    if (!sim) return [];
    // Between ticks, move the drawing clock on at the round's speed, at most one tick ahead: a tick
    // advances 1/TICK_HZ s × the rate, so a late tick never lets drawings run ahead and jump back.
    const rate = this.source.timeRate();
    const aheadUs = Math.min((1e6 / TICK_HZ) * rate, Math.max(0, nowMs - replica.tickWallMs) * 1000 * rate);
    const drawUs = sim.nowUs + aheadUs;
    const lane = Math.max(2, 4 * k);
    const size = Math.max(5, Math.round(9 * k), this.source.minPacketPx ?? 0);
    const out: PacketDraw[] = [];
    const inspected = this.source.inspectedPacket();
    for (const p of packetsInFlight(sim)) {
      const from = this.pos[p.fromNode];
      const to = this.pos[p.toNode];
      if (!from || !to) continue;
      const span = Math.max(1, p.arriveUs - p.departUs);
      const u = Math.min(1, Math.max(0, (drawUs - p.departUs) / span));
      const dx = to.x - from.x;
      const dy = to.y - from.y;
      const len = Math.hypot(dx, dy) || 1;
      // Each direction keeps to its own side of the line so both stay visible.
      const ox = (-dy / len) * lane;
      const oy = (dx / len) * lane;
      const control = p.channel === 'tcp' && (p.flags & (SYN | FIN | RST)) !== 0;
      out.push({
        id: p.id,
        x: from.x + dx * u + ox,
        y: from.y + dy * u + oy,
        color: packetColor(p.channel, p.flags),
        shape: p.channel === 'dns' ? 'diamond' : 'square',
        size: control ? size + 3 : p.channel === 'tcp' && p.flags === ACK ? size - 2 : size,
        inspected: p.id === inspected,
      });
    }
    return out;
  }

  /**
   * The id of the drawn packet nearest (x, y) within `radiusPx` (a fingertip on a
   * phone), or null. Reads the packets where the last frame drew them.
   */
  pickPacket(x: number, y: number, radiusPx: number): number | null {
    let best: PacketDraw | null = null;
    let bestPx = radiusPx;
    for (const p of this.drawn) {
      const d = Math.hypot(p.x - x, p.y - y);
      if (d <= bestPx) {
        best = p;
        bestPx = d;
      }
    }
    return best?.id ?? null;
  }

  /** The drawn packet after `id` in drawing order (the first when `id` is not drawn), for keyboards; null when none is drawn. */
  nextPacket(id: number | null): number | null {
    const at = this.drawn.findIndex((p) => p.id === id);
    return (this.drawn[at + 1] ?? this.drawn[0])?.id ?? null;
  }

  private record(r: SimRecord): void {
    const now = performance.now();
    if (r.k === 'lbAssigned') return this.trails.record(r, now);
    if (r.k === 'lbConnBroken') return this.addBadge(r.node, -1, r.reason, 'broken', now);
    if (r.k === 'requestFailed') {
      const at = this.source.replica.scenario.nodeIndex.get(r.at) ?? -1;
      if (this.l7Nodes.has(at) && Object.hasOwn(L7_REFUSED_TEXT, r.reason))
        this.addBadge(at, -1, r.reason, 'refused', now);
      return;
    }
    if (r.k !== 'drop') return;
    const onWire = r.reason === 'link-loss' || r.reason === 'link-down';
    // Losses on the wire are shown on the link, whichever end they were heading to.
    const link = onWire ? r.link : -1;
    const node = onWire ? -1 : r.node;
    this.addBadge(node, link, r.reason, 'drop', now);
  }

  private addBadge(
    node: number,
    link: number,
    reason: Badge['reason'],
    kind: Badge['kind'],
    now: number,
  ): void {
    const same = this.badges.find(
      (b) => b.node === node && b.link === link && b.reason === reason && b.kind === kind,
    );
    if (same) {
      same.count++;
      same.untilMs = now + BADGE_MS;
      return;
    }
    this.badges.push({ node, link, reason, kind, count: 1, untilMs: now + BADGE_MS });
    if (this.badges.length > BADGES_MAX) this.badges.shift();
  }

  /** Text sizes the scene draws at scale `k`: labels, small text (addresses), badges. */
  labelFontPx(k: number): number {
    return Math.round(Math.max(10, 14 * k, this.source.minTextPx ?? 0));
  }

  /** How much larger than the scaled design text is drawn (1, but more on the projector): cards and wraps grow with it. */
  textBoost(k: number): number {
    return this.labelFontPx(k) / Math.max(10, 14 * k);
  }

  smallFontPx(k: number): number {
    return Math.round(Math.max(9, 12 * k, (this.source.minTextPx ?? 0) * 0.8));
  }

  badgeFontPx(k: number): number {
    return Math.round(Math.max(10, 13 * k, this.source.minTextPx ?? 0));
  }

  private badgeDraws(nowMs: number, k: number, keepClear: readonly BadgeBox[] = []): BadgeDraw[] {
    this.badges = this.badges.filter((b) => b.untilMs > nowMs);
    const shown = k < 0.75 ? this.badges.slice(-4) : this.badges;
    const sc = this.source.replica.scenario;
    const placed: BadgeBox[] = [...keepClear];
    return shown.map((b) => {
      let at = this.pos[b.node] ?? { x: 0, y: 0 };
      const spec = b.link >= 0 ? sc.file.links[b.link] : undefined;
      if (spec) {
        const a = this.pos[sc.nodeIndex.get(spec.a) ?? -1] ?? at;
        const c = this.pos[sc.nodeIndex.get(spec.b) ?? -1] ?? at;
        at = { x: (a.x + c.x) / 2, y: (a.y + c.y) / 2 };
      }
      const fontPx = this.badgeFontPx(k);
      // On a phone a long reason is wider than the map: it wraps onto more lines instead of running off both edges.
      const text = wrapToWidth(badgeText(b), fontPx, this.width - 2 * BADGE_MARGIN_PX);
      // A badge that would cover one placed before it moves up a row until it is clear.
      const box = insideWidth(badgeBox(text, at.x, spec ? at.y + 10 * k : at.y - 28 * k, fontPx), this.width);
      const rowPx = box.bottom - box.top + BADGE_GAP_PX;
      while (placed.some((p) => overlaps(p, box))) {
        box.top -= rowPx;
        box.bottom -= rowPx;
      }
      placed.push(box);
      const left = b.untilMs - nowMs;
      return { x: (box.left + box.right) / 2, y: box.bottom, text, alpha: Math.min(1, left / 600) };
    });
  }
}

/** A drop badge counts packets (the results count frames and requests, SPEC MET-2); an L4 balancer's counts connections, an L7 one's requests. */
function badgeText(b: Badge): string {
  if (b.kind === 'drop') return `✖ ${LOSS_REASON_TEXT[b.reason]}${b.count > 1 ? ` ×${b.count} packets` : ''}`;
  if (b.kind === 'refused')
    return `✖ ${b.count > 1 ? `${b.count} requests` : 'request'} refused: ${L7_REFUSED_TEXT[b.reason as keyof typeof L7_REFUSED_TEXT]}`;
  const why = b.reason === 'conn-moved' ? BROKEN_TEXT['conn-moved'] : BROKEN_TEXT['backend-down'];
  return `⚡ ${b.count > 1 ? `${b.count} connections` : 'connection'} broken: ${why}`;
}

/** Space kept between stacked badges, px. */
const BADGE_GAP_PX = 2;
/** A badge's horizontal padding (NetworkScene), px. */
const BADGE_PADDING_X_PX = 6;
/** Space kept between a wrapped badge and the map's edges, px. */
const BADGE_MARGIN_PX = 4;

/** Where a badge lies on the canvas: drawn centred on x, its bottom edge at y. */
type BadgeBox = Box;

/**
 * The badge's box from its text (NetworkScene draws it at `fontPx`, see badgeFontPx,
 * with 6 px and 3 px of padding); glyphs are taken as 0.62 em wide, a little more than
 * the system UI fonts' average, so estimates err on the side of more room.
 */
export function badgeBox(text: string, x: number, bottom: number, fontPx: number): BadgeBox {
  const lines = text.split('\n');
  const width = Math.max(...lines.map((l) => [...l].length)) * fontPx * 0.62 + BADGE_PADDING_X_PX * 2;
  const height = lines.length * fontPx * 1.25 + 6;
  return { left: x - width / 2, right: x + width / 2, top: bottom - height, bottom };
}

/**
 * `text` broken between words into lines whose boxes (badgeBox's estimate) fit in
 * `maxWidthPx`; a single word longer than that keeps a line of its own.
 */
export function wrapToWidth(text: string, fontPx: number, maxWidthPx: number): string {
  const maxChars = Math.max(1, Math.floor((maxWidthPx - BADGE_PADDING_X_PX * 2) / (fontPx * 0.62)));
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    const longer = line === '' ? word : `${line} ${word}`;
    if ([...longer].length <= maxChars || line === '') line = longer;
    else {
      lines.push(line);
      line = word;
    }
  }
  lines.push(line);
  return lines.join('\n');
}

/** The box of a "✉ n waiting" badge (NetworkScene: 13 px bold, 5 and 2 px padding, drawn from its bottom-left). */
export function waitingBox(w: { x: number; y: number; count: number }): BadgeBox {
  const text = `✉ ${w.count} waiting`;
  const fontPx = 13; // not scaled with k: it is what the player acts on
  const width = [...text].length * fontPx * 0.62 + 10;
  const height = fontPx * 1.25 + 4;
  return { left: w.x, right: w.x + width, top: w.y - height, bottom: w.y };
}

/** Node and text scale: the design is drawn at 1 on a 1000×600 canvas, never below 0.55. */
export function nodeScale(width: number, height: number): number {
  return Math.max(0.55, Math.min(1.15, Math.min(width / DESIGN_W, height / DESIGN_H)));
}

/** UDP one colour, TCP another, QUIC a third; TCP SYN (opening) and FIN/RST (closing) stand out. */
export function packetColor(channel: Channel, flags: number): number {
  if (channel === 'udp') return COLORS.udp;
  if (channel === 'quic') return COLORS.quic;
  if (channel === 'dns') return COLORS.dns;
  if (flags & SYN) return COLORS.tcpControl;
  if (flags & (FIN | RST)) return COLORS.tcpClose;
  return COLORS.tcp;
}

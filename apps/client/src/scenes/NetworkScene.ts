import * as Phaser from 'phaser';
import type { AssignDraw, CpuDraw, PoolDraw, ServerLoadDraw } from '../view/balancerDraws.ts';
import { NODE_STYLES, type NodeStyle, shapeSizePx } from '../view/nodeStyles.ts';
import {
  COLORS,
  type LinkDraw,
  type NetworkViewModel,
  type NodeView,
  type PacketDraw,
} from '../view/viewModel.ts';

export const NETWORK_SCENE = 'network';

interface NodeObjects {
  style: NodeStyle;
  shape: Phaser.GameObjects.Shape;
  label: Phaser.GameObjects.Text;
  address: Phaser.GameObjects.Text | null;
  you: Phaser.GameObjects.Text | null;
}

const FONT = 'system-ui, "Segoe UI", Roboto, sans-serif';
const BADGE_POOL = 10;
/** How far from a packet a tap still picks it: half a fingertip (44 px); a mouse is more precise. */
const TAP_RADIUS_PX = 22;
const CLICK_RADIUS_PX = 14;

/**
 * Draws the network from the view-model: nodes once (re-laid on resize), links,
 * queues, packets and drop badges every frame. It reads nothing else.
 */
export class NetworkScene extends Phaser.Scene {
  private vm!: NetworkViewModel;
  private linkG!: Phaser.GameObjects.Graphics;
  private packetG!: Phaser.GameObjects.Graphics;
  private queueG!: Phaser.GameObjects.Graphics;
  /** The L4 balancers' lines to their backends (under the packets) and the backends' load strips. */
  private lbG!: Phaser.GameObjects.Graphics;
  private nodeObjs = new Map<string, NodeObjects>();
  private linkZones: Phaser.GameObjects.Zone[] = [];
  private badgeTexts: Phaser.GameObjects.Text[] = [];
  private waitingTexts = new Map<string, Phaser.GameObjects.Text>();
  /** An L7 balancer's pool names on the map, by name (SPEC VIEW-12). */
  private poolTexts = new Map<string, Phaser.GameObjects.Text>();
  /** What a click on a node or a link does (one pointer handler decides between them and packets). */
  private nodeTaps = new Map<Phaser.GameObjects.GameObject, () => void>();
  private linkTaps = new Map<Phaser.GameObjects.GameObject, () => void>();
  /** Packets drawn in the last frame (read by tests and fps probes). */
  packetsDrawn = 0;
  /** Where the last frame drew each packet, in canvas px (read by browser tests that click one). */
  drawnPackets: readonly PacketDraw[] = [];

  constructor() {
    super(NETWORK_SCENE);
  }

  init(vm: NetworkViewModel): void {
    this.vm = vm;
  }

  create(): void {
    const res = window.devicePixelRatio || 1;
    this.linkG = this.add.graphics().setDepth(1);
    this.lbG = this.add.graphics().setDepth(1.5);
    this.packetG = this.add.graphics().setDepth(2);
    this.queueG = this.add.graphics().setDepth(5);
    const sc = this.vm.source.replica.scenario;
    for (const spec of sc.file.links) {
      const zone = this.add.zone(0, 0, 10, 18).setInteractive({ useHandCursor: true });
      this.linkTaps.set(zone, () => this.vm.onLinkClick?.(spec.id));
      this.linkZones.push(zone);
    }
    for (const n of this.vm.frame(performance.now()).nodes) this.nodeObjs.set(n.id, this.makeNode(n, res));
    this.input.on(Phaser.Input.Events.POINTER_DOWN, this.tap, this);
    this.layout();
    this.scale.on(Phaser.Scale.Events.RESIZE, this.layout, this);
    this.events.once(Phaser.Scenes.Events.SHUTDOWN, () => {
      this.scale.off(Phaser.Scale.Events.RESIZE, this.layout, this);
    });
  }

  /**
   * Drop badge `i` of the pool, made on first use: a Text is a canvas and a texture, and
   * ten of them up front cost the first frame (PERFORMANCE.md "Joining").
   */
  private badgeText(i: number): Phaser.GameObjects.Text {
    const made = this.badgeTexts[i];
    if (made) return made;
    const t = this.add
      .text(0, 0, '', {
        fontFamily: FONT,
        fontSize: '13px',
        color: '#fff',
        backgroundColor: '#b3261e',
        padding: { x: 6, y: 3 },
        // A badge wrapped to a narrow map (viewModel's wrapToWidth) reads centred.
        align: 'center',
      })
      .setOrigin(0.5, 1)
      .setDepth(8)
      .setResolution(window.devicePixelRatio || 1)
      .setVisible(false);
    this.badgeTexts[i] = t;
    return t;
  }

  /** The badge counting packets that wait at node `id` for hand forwarding, made on first use. */
  private waitingText(id: string): Phaser.GameObjects.Text {
    const made = this.waitingTexts.get(id);
    if (made) return made;
    const t = this.add
      .text(0, 0, '', {
        fontFamily: FONT,
        fontSize: '13px',
        color: '#1b1300',
        backgroundColor: '#ffc83d',
        padding: { x: 5, y: 2 },
        fontStyle: 'bold',
      })
      .setOrigin(0, 1)
      .setDepth(7)
      .setResolution(window.devicePixelRatio || 1)
      .setVisible(false);
    this.waitingTexts.set(id, t);
    return t;
  }

  /**
   * A click or tap: a node wins (it is a fixed target, and packets crowd it only as they
   * pass), then the nearest packet within a fingertip, then a link.
   */
  private tap(pointer: Phaser.Input.Pointer, over: Phaser.GameObjects.GameObject[]): void {
    const node = over.find((o) => this.nodeTaps.has(o));
    if (node) return this.nodeTaps.get(node)?.();
    const packet = this.vm.pickPacket(
      pointer.x,
      pointer.y,
      pointer.wasTouch ? TAP_RADIUS_PX : CLICK_RADIUS_PX,
    );
    if (packet !== null) return this.vm.onPacketClick?.(packet);
    const link = over.find((o) => this.linkTaps.has(o));
    if (link) this.linkTaps.get(link)?.();
  }

  private makeNode(n: NodeView, res: number): NodeObjects {
    const style = NODE_STYLES[n.kind];
    const fill = n.mine ? style.fillMine : style.fill;
    const shape: Phaser.GameObjects.Shape =
      style.shape.kind === 'circle'
        ? this.add.circle(0, 0, style.shape.radiusPx, fill)
        : this.add
            .rectangle(0, 0, style.shape.widthPx, style.shape.heightPx, fill)
            .setRounded(style.shape.cornerPx);
    shape.setDepth(4).setInteractive({ useHandCursor: true });
    this.nodeTaps.set(shape, () => this.vm.onNodeClick?.(n.id));
    const label = this.add
      .text(0, 0, n.label, { fontFamily: FONT, fontSize: '14px', color: '#ffffff', align: 'center' })
      .setOrigin(0.5, style.label === 'below' ? 0 : 1)
      .setDepth(6)
      .setResolution(res);
    const address = style.showsAddress
      ? this.add
          .text(0, 0, n.address, {
            fontFamily: 'ui-monospace, monospace',
            fontSize: '12px',
            color: '#a9c1ff',
          })
          .setOrigin(0.5, 0)
          .setDepth(6)
          .setResolution(res)
      : null;
    const you = n.mine
      ? this.add
          .text(0, 0, 'YOU', { fontFamily: FONT, fontSize: '12px', color: '#1b1300', fontStyle: 'bold' })
          .setOrigin(0.5, 0.5)
          .setDepth(6)
          .setResolution(res)
      : null;
    return { style, shape, label, address, you };
  }

  private layout(): void {
    this.vm.resize(this.scale.width, this.scale.height);
    const { nodes, links, k } = this.vm.frame(performance.now());
    for (const n of nodes) {
      const o = this.nodeObjs.get(n.id);
      if (!o) continue;
      o.shape.setPosition(n.x, n.y);
      const font = `${this.vm.labelFontPx(k)}px`;
      o.label.setFontSize(font);
      const small = `${this.vm.smallFontPx(k)}px`;
      const stroke = n.mine ? o.style.strokeMine : o.style.stroke;
      const boost = this.vm.textBoost(k);
      const shape = o.style.shape;
      const size = shapeSizePx(o.style, k, boost);
      if (shape.kind === 'circle' && o.shape instanceof Phaser.GameObjects.Arc) {
        const r = size.widthPx / 2;
        o.shape.setRadius(r).setStrokeStyle(stroke.widthPx, stroke.color);
        o.label.setPosition(n.x, o.style.label === 'below' ? n.y + r + 4 : n.y + 1);
        o.label.setWordWrapWidth(Math.max(80, 130 * k) * boost);
        o.you?.setPosition(n.x, n.y).setFontSize(small);
      } else if (shape.kind === 'card' && o.shape instanceof Phaser.GameObjects.Rectangle) {
        const w = size.widthPx;
        const hgt = size.heightPx;
        o.shape.setSize(w, hgt).setStrokeStyle(stroke.widthPx, stroke.color);
        o.label.setPosition(n.x, o.style.label === 'below' ? n.y + hgt / 2 + 4 : n.y + 1);
        fitOneLine(o.label, n.label, w - 8);
        // A card's label and address fill it: the player's mark sits above, in the player's gold.
        o.you
          ?.setPosition(n.x, n.y - hgt / 2 - 3)
          .setOrigin(0.5, 1)
          .setColor('#ffc83d')
          .setFontSize(small);
      }
      o.address?.setPosition(n.x, n.y + 2).setFontSize(small);
    }
    links.forEach((l, i) => {
      const z = this.linkZones[i];
      if (!z) return;
      const len = Math.hypot(l.bx - l.ax, l.by - l.ay);
      z.setPosition((l.ax + l.bx) / 2, (l.ay + l.by) / 2)
        .setSize(Math.max(10, len - 70 * k), 18)
        .setRotation(Phaser.Math.Angle.Between(l.ax, l.ay, l.bx, l.by));
    });
  }

  override update(): void {
    const f = this.vm.frame(performance.now());
    this.linkG.clear();
    this.queueG.clear();
    for (const l of f.links) this.drawLink(l, f.k);
    this.lbG.clear();
    for (const p of f.pools) this.drawPool(p, f.k);
    for (const a of f.assigns) this.drawAssign(a, f.k);
    for (const s of f.serverLoads) this.drawServerLoad(s, f.k);
    for (const c of f.cpus) this.drawCpu(c, f.k);
    this.packetG.clear();
    this.packetsDrawn = f.packets.length;
    this.drawnPackets = f.packets;
    for (const p of f.packets) {
      this.packetG.fillStyle(p.color, 1);
      if (p.shape === 'diamond') {
        // A square turned 45°, of the same area's reach: half-diagonal ≈ 0.75 × the side.
        const r = p.size * 0.75;
        this.packetG.fillTriangle(p.x - r, p.y, p.x, p.y - r, p.x + r, p.y);
        this.packetG.fillTriangle(p.x - r, p.y, p.x, p.y + r, p.x + r, p.y);
      } else this.packetG.fillRect(p.x - p.size / 2, p.y - p.size / 2, p.size, p.size);
      if (p.inspected)
        this.packetG
          .lineStyle(Math.max(2, 3 * f.k), 0xffffff, 1)
          .strokeCircle(p.x, p.y, p.size + Math.max(4, 6 * f.k));
    }
    for (const t of this.waitingTexts.values()) t.setVisible(false);
    for (const w of f.waiting) {
      const t = this.waitingText(w.id);
      const label = `✉ ${w.count} waiting`;
      if (t.text !== label) t.setText(label);
      t.setFontSize(`${this.vm.badgeFontPx(f.k)}px`);
      t.setPosition(w.x, w.y).setVisible(true);
    }
    const shown = Math.min(BADGE_POOL, Math.max(f.badges.length, this.badgeTexts.length));
    for (let i = 0; i < shown; i++) {
      const b = f.badges[i];
      if (!b) {
        this.badgeTexts[i]?.setVisible(false);
        continue;
      }
      const t = this.badgeText(i);
      if (t.text !== b.text) t.setText(b.text);
      t.setFontSize(`${this.vm.badgeFontPx(f.k)}px`);
      t.setPosition(b.x, b.y).setAlpha(b.alpha).setVisible(true);
    }
  }

  private drawLink(l: LinkDraw, k: number): void {
    const g = this.linkG;
    const width = Math.max(2, (3 + l.util * 9) * Math.max(0.7, k));
    if (l.selected) g.lineStyle(width + 8, 0xffffff, 0.25).lineBetween(l.ax, l.ay, l.bx, l.by);
    if (!l.up) {
      dashed(g, l, COLORS.linkDown, Math.max(3, 4 * k));
      return;
    }
    g.lineStyle(width, utilColor(l.util), 0.95).lineBetween(l.ax, l.ay, l.bx, l.by);
    // A queue bar beside each sending end: how full that direction's queue is.
    const dx = l.bx - l.ax;
    const dy = l.by - l.ay;
    const len = Math.hypot(dx, dy) || 1;
    const barLen = Math.max(18, 30 * k);
    const off = Math.max(8, 12 * k);
    const ux = dx / len;
    const uy = dy / len;
    const nx = -uy * off;
    const ny = ux * off;
    this.queueBar(l.ax + ux * len * 0.28 + nx, l.ay + uy * len * 0.28 + ny, ux, uy, barLen, l.queueAB, k);
    this.queueBar(l.bx - ux * len * 0.28 - nx, l.by - uy * len * 0.28 - ny, -ux, -uy, barLen, l.queueBA, k);
  }

  /** A balancer's fading line to a backend it just chose, thicker the more connections it took (SPEC VIEW-9). */
  private drawAssign(a: AssignDraw, k: number): void {
    const width = Math.max(2, (2 + a.weight * 4) * Math.max(0.7, k));
    this.lbG.lineStyle(width, a.color, 0.85 * a.alpha).lineBetween(a.ax, a.ay, a.bx, a.by);
    this.lbG.fillStyle(a.color, a.alpha).fillCircle(a.bx, a.by, width + 2);
  }

  /**
   * An L7 balancer's pool: a thin line to each backend in its colour, always, and the
   * pool's name on the way to them (SPEC VIEW-12).
   */
  private drawPool(p: PoolDraw, k: number): void {
    const width = Math.max(1, 1.5 * k);
    for (const m of p.members) this.lbG.lineStyle(width, m.color, 0.35).lineBetween(m.ax, m.ay, m.bx, m.by);
    let t = this.poolTexts.get(p.label);
    if (!t) {
      t = this.add
        .text(0, 0, p.label, {
          fontFamily: FONT,
          fontSize: '12px',
          color: '#e8ecff',
          backgroundColor: '#2e1f4d',
          padding: { x: 4, y: 1 },
        })
        .setOrigin(0.5, 0.5)
        .setDepth(5.5)
        .setResolution(window.devicePixelRatio || 1);
      this.poolTexts.set(p.label, t);
    }
    t.setFontSize(`${this.vm.smallFontPx(k)}px`).setPosition(p.x, p.y);
  }

  /** An L7 balancer's CPU as two bars beside its card's left side: requests being read, and its queue (SPEC VIEW-13). */
  private drawCpu(c: CpuDraw, k: number): void {
    const card = this.nodeObjs.get(c.id)?.shape;
    if (!(card instanceof Phaser.GameObjects.Rectangle)) return;
    this.loadBars(
      c.x - card.width / 2,
      c.y - card.height / 2,
      card.height,
      c.busyFill,
      c.queueFill,
      0xb388ff,
      k,
    );
  }

  /**
   * Two bars filling upwards left of a card whose left edge is at `left`: busy (in `tint`)
   * and queue (blue, yellow past 40 %, red past 80 %), as VIEW-10 and VIEW-13 draw them.
   */
  private loadBars(
    left: number,
    top: number,
    hgt: number,
    busyFill: number,
    queueFill: number,
    tint: number,
    k: number,
  ): void {
    const q = this.queueG;
    const bar = Math.max(3, 4 * k);
    const queueX = left - 3 - bar;
    const busyX = queueX - 2 - bar;
    q.fillStyle(0x2b3963, 1).fillRect(busyX, top, bar, hgt).fillRect(queueX, top, bar, hgt);
    q.fillStyle(tint, 1).fillRect(busyX, top + hgt * (1 - busyFill), bar, hgt * busyFill);
    const color = queueFill > 0.8 ? 0xff5252 : queueFill > 0.4 ? 0xffd54f : 0x9be7ff;
    q.fillStyle(color, 1).fillRect(queueX, top + hgt * (1 - queueFill), bar, hgt * queueFill);
  }

  /**
   * A backend's strip of its colour down the card's left edge (the panel's swatch), and
   * beside the card's left side two bars filling upwards: its workers busy and its queue
   * (SPEC VIEW-10). Beside, not above or inside: backends stand close together, and the
   * card's label and address fill it on a phone.
   */
  private drawServerLoad(s: ServerLoadDraw, k: number): void {
    const card = this.nodeObjs.get(s.id)?.shape;
    if (!(card instanceof Phaser.GameObjects.Rectangle)) return;
    const hgt = card.height;
    const left = s.x - card.width / 2;
    const top = s.y - hgt / 2;
    const q = this.queueG;
    const stripe = Math.max(4, 6 * k);
    const tint = s.out ? 0x78909c : s.color;
    q.fillStyle(tint, 1).fillRect(left + 2, top + 3, stripe, hgt - 6);
    this.loadBars(left, top, hgt, s.busyFill, s.queueFill, tint, k);
  }

  private queueBar(
    x: number,
    y: number,
    ux: number,
    uy: number,
    barLen: number,
    fill: number,
    k: number,
  ): void {
    if (fill <= 0) return;
    const q = this.queueG;
    const t = Math.max(3, 5 * k);
    q.lineStyle(t, 0x2b3963, 0.9).lineBetween(x, y, x + ux * barLen, y + uy * barLen);
    const color = fill > 0.8 ? 0xff5252 : fill > 0.4 ? 0xffd54f : 0x9be7ff;
    q.lineStyle(t, color, 1).lineBetween(x, y, x + ux * barLen * fill, y + uy * barLen * fill);
  }
}

/** Idle links are a calm blue; busy ones go yellow then red. */
function utilColor(util: number): number {
  const stops: [number, number, number][] = [
    [0x51, 0x61, 0x8a],
    [0x3d, 0xdc, 0x84],
    [0xff, 0xd5, 0x4f],
    [0xff, 0x52, 0x52],
  ];
  const pos = Math.min(0.999, Math.max(0, util)) * (stops.length - 1);
  const i = Math.floor(pos);
  const t = pos - i;
  const a = stops[i] as [number, number, number];
  const b = stops[i + 1] as [number, number, number];
  const mix = (j: 0 | 1 | 2) => Math.round(a[j] + (b[j] - a[j]) * t);
  return (mix(0) << 16) | (mix(1) << 8) | mix(2);
}

function dashed(g: Phaser.GameObjects.Graphics, l: LinkDraw, color: number, width: number): void {
  const dx = l.bx - l.ax;
  const dy = l.by - l.ay;
  const len = Math.hypot(dx, dy);
  const dash = 10;
  g.lineStyle(width, color, 0.9);
  for (let s = 0; s < len; s += dash * 2) {
    const e = Math.min(len, s + dash);
    g.lineBetween(l.ax + (dx * s) / len, l.ay + (dy * s) / len, l.ax + (dx * e) / len, l.ay + (dy * e) / len);
  }
}

/** Smallest font a card's label shrinks to before it is shortened, px. */
const LABEL_MIN_PX = 9;

/**
 * Keeps a card's label on one line inside the card (a wrapped one spills over the
 * address below it on a narrow canvas): smaller type first, then cut with an ellipsis.
 */
function fitOneLine(t: Phaser.GameObjects.Text, full: string, maxWidthPx: number): void {
  if (t.text !== full) t.setText(full);
  let px = Number.parseInt(String(t.style.fontSize), 10) || 14;
  while (t.width > maxWidthPx && px > LABEL_MIN_PX) t.setFontSize(`${--px}px`);
  let cut = full.length;
  while (t.width > maxWidthPx && cut > 1) t.setText(`${full.slice(0, --cut).trimEnd()}…`);
}

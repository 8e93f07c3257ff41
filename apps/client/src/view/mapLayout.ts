/**
 * Where the map's words and its overlay button go so that nothing covers a node or
 * another word (SPEC VIEW-1, VIEW-12, VIEW-15): boxes in canvas px, and the rules that
 * move a pool's name or the "Inspect a packet" button out of the way.
 */

/** A rectangle on the canvas, px. */
export interface Box {
  left: number;
  right: number;
  top: number;
  bottom: number;
}

/** True when `a` and `b` share some area (touching edges do not). */
export function overlaps(a: Box, b: Box): boolean {
  return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
}

/** The area `a` and `b` share, px². */
function sharedArea(a: Box, b: Box): number {
  const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
  const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
  return w > 0 && h > 0 ? w * h : 0;
}

/** The box of a pool's name tag (NetworkScene draws it centred on x, y at `fontPx` with 4 and 1 px of padding). */
export function poolTagBox(label: string, x: number, y: number, fontPx: number): Box {
  const width = [...label].length * fontPx * 0.62 + 8;
  const height = fontPx * 1.25 + 2;
  return { left: x - width / 2, right: x + width / 2, top: y - height / 2, bottom: y + height / 2 };
}

/** A pool's name to place: its balancer's card, and the middle of its backends. */
export interface PoolTagRequest {
  /** "api": written "pool api" where it fits, "api" where only that does. */
  name: string;
  balancer: Box;
  ax: number;
  ay: number;
  mx: number;
  my: number;
}

/** A pool's name as placed: its words and their centre. */
export interface PlacedTag {
  label: string;
  x: number;
  y: number;
}

/** Space kept between a tag and the card it sits beside, px. */
const TAG_GAP_PX = 3;
/** Points tried along the way from the balancer to its pool's middle, in order (0.45 first: SPEC VIEW-12). */
const ALONG = [0.45, 0.35, 0.55, 0.25, 0.65];

/**
 * Places each pool's name (SPEC VIEW-12): 45 % of the way from its balancer to its
 * backends' middle; where that covers a node (`keepClear`: cards, the load bars beside
 * them, the player's mark) or a name placed before it, another point on that way; then
 * above or below the balancer's card, on the side its backends are; then all of that
 * again with the pool's name alone. A tag that fits nowhere takes the first spot, as
 * before. Tags stay inside the `widthPx` × `heightPx` canvas.
 */
export function placePoolTags(
  requests: readonly PoolTagRequest[],
  keepClear: readonly Box[],
  fontPx: number,
  widthPx: number,
  heightPx: number,
): PlacedTag[] {
  const placed: Box[] = [];
  return requests.map((r) => {
    const spots = (label: string): PlacedTag[] => {
      const h = poolTagBox(label, 0, 0, fontPx).bottom * 2;
      const side = r.my < r.ay ? -1 : 1;
      const besideY = side < 0 ? r.balancer.top - TAG_GAP_PX - h / 2 : r.balancer.bottom + TAG_GAP_PX + h / 2;
      return [
        ...ALONG.map((t) => ({ label, x: r.ax + (r.mx - r.ax) * t, y: r.ay + (r.my - r.ay) * t })),
        ...[0, 1, 2].map((row) => ({ label, x: r.ax, y: besideY + side * row * (h + TAG_GAP_PX) })),
      ];
    };
    const all = [...spots(`pool ${r.name}`), ...spots(r.name)];
    const boxOf = (s: PlacedTag) => insideCanvas(poolTagBox(s.label, s.x, s.y, fontPx), widthPx, heightPx);
    const clear = all.find((s) => {
      const box = boxOf(s);
      return !keepClear.some((k) => overlaps(k, box)) && !placed.some((p) => overlaps(p, box));
    });
    const chosen = clear ?? (all[0] as PlacedTag);
    const box = boxOf(chosen);
    placed.push(box);
    return { label: chosen.label, x: (box.left + box.right) / 2, y: (box.top + box.bottom) / 2 };
  });
}

/** `box` moved sideways to lie within a canvas `widthPx` wide (a badge by a node at the edge of a phone's map). */
export function insideWidth(box: Box, widthPx: number): Box {
  const shift = box.left < 0 ? -box.left : box.right > widthPx ? Math.max(-box.left, widthPx - box.right) : 0;
  return { ...box, left: box.left + shift, right: box.right + shift };
}

/** `box` moved to lie within a `widthPx` × `heightPx` canvas. */
function insideCanvas(box: Box, widthPx: number, heightPx: number): Box {
  const b = insideWidth(box, widthPx);
  const dy = b.top < 0 ? -b.top : b.bottom > heightPx ? Math.max(-b.top, heightPx - b.bottom) : 0;
  return { ...b, top: b.top + dy, bottom: b.bottom + dy };
}

/** A corner of the map, in the order the overlay button tries them. */
export const CORNERS = ['top-right', 'top-left', 'bottom-right', 'bottom-left'] as const;
export type Corner = (typeof CORNERS)[number];

/**
 * Where a button of `widthPx` × `heightPx` floats over the map (SPEC VIEW-15): the first
 * corner, `marginPx` in from the canvas edges, where it covers nothing in `keepClear`
 * (nodes, their labels, the legend); when every corner covers something, the one that
 * covers least.
 */
export function overlaySpot(
  size: { widthPx: number; heightPx: number },
  marginPx: number,
  canvas: { widthPx: number; heightPx: number },
  keepClear: readonly Box[],
): { corner: Corner; box: Box } {
  const spots = CORNERS.map((corner) => {
    const left = corner.endsWith('left') ? marginPx : canvas.widthPx - marginPx - size.widthPx;
    const top = corner.startsWith('top') ? marginPx : canvas.heightPx - marginPx - size.heightPx;
    const box = { left, right: left + size.widthPx, top, bottom: top + size.heightPx };
    return { corner, box, covered: keepClear.reduce((s, k) => s + sharedArea(k, box), 0) };
  });
  return spots.reduce((best, s) => (s.covered < best.covered ? s : best));
}

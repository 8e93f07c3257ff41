import { maskBits, type Prefix, parsePrefix } from './address.ts';

/** One forwarding-table entry: traffic for `prefix` goes to neighbour `viaNode` (a node index). */
export interface Route {
  /** Canonical prefix text, e.g. "10.2.0.0/16"; unique within a table. */
  prefix: string;
  networkAddr: number;
  lengthBits: number;
  /** The prefix's network mask, precomputed for the per-packet lookup. */
  mask: number;
  viaNode: number;
}

/** What a node that forwards by table keeps in its state (a router's table; roles that forward share it). */
export interface ForwardingTable {
  routes: Route[];
}

/** Builds a route from prefix text; null when the prefix does not parse. */
export function makeRoute(prefixText: string, viaNode: number): Route | null {
  const p: Prefix | null = parsePrefix(prefixText);
  if (!p) return null;
  return {
    prefix: prefixText,
    networkAddr: p.networkAddr,
    lengthBits: p.lengthBits,
    mask: maskBits(p.lengthBits),
    viaNode,
  };
}

/**
 * Longest-prefix match (SPEC RT-1): the most specific entry containing `addr`
 * wins. Prefixes are unique per table, so there are no ties.
 */
export function lookupRoute(table: readonly Route[], addr: number): Route | null {
  let best: Route | null = null;
  for (const r of table) {
    if ((addr & r.mask) >>> 0 === r.networkAddr && (best === null || r.lengthBits > best.lengthBits))
      best = r;
  }
  return best;
}

/** Adds or replaces the entry for `route.prefix`; keeps the table sorted by prefix text for stable display. */
export function upsertRoute(table: Route[], route: Route): void {
  const i = table.findIndex((r) => r.prefix === route.prefix);
  if (i >= 0) table[i] = route;
  else {
    table.push(route);
    table.sort((a, b) => (a.prefix < b.prefix ? -1 : a.prefix > b.prefix ? 1 : 0));
  }
}

/** Removes the entry for `prefix`; returns false when there was none. */
export function deleteRoute(table: Route[], prefix: string): boolean {
  const i = table.findIndex((r) => r.prefix === prefix);
  if (i < 0) return false;
  table.splice(i, 1);
  return true;
}

import { addPart, partsTotal, type ScoreParts } from '@roundtrip/sim';

/** One player's account: the seat they hold now, its breakdown when they took it, and what they brought. */
export interface PlayerLedger {
  copy: number;
  node: string;
  /** The node's breakdown when this player took the seat: earlier points are the seat's, not theirs. */
  baseline: ScoreParts;
  /** Points this player made in seats they held before (SPEC SCORE-7). */
  carried: ScoreParts;
  /** The browser's id the player joined with, if any: the same person coming back under another name. */
  device?: string;
  /** A bot covers the seat while its player is idle (SPEC COVER-1): what the node makes now is not theirs. */
  covered?: boolean;
}

/** `a` plus `b`, part by part. */
export function sumParts(a: ScoreParts, b: ScoreParts): ScoreParts {
  const out: ScoreParts = structuredClone(a);
  for (const [part, p] of Object.entries(b)) addPart(out, part, p.points, p.count);
  return out;
}

/** What a node made after `baseline`, part by part (parts with nothing new left out). */
export function partsSince(now: ScoreParts, baseline: ScoreParts): ScoreParts {
  const out: ScoreParts = {};
  for (const [part, p] of Object.entries(now)) {
    const before = baseline[part] ?? { count: 0, points: 0 };
    if (p.count !== before.count)
      out[part] = { count: p.count - before.count, points: p.points - before.points };
  }
  return out;
}

/** The points of `part` a node made after `baseline` (0 when its count has not moved, as in `partsSince`). */
function pointsSince(now: ScoreParts, baseline: ScoreParts, part: string): number {
  const p = now[part];
  if (!p) return 0;
  const before = baseline[part] ?? { count: 0, points: 0 };
  return p.count !== before.count ? p.points - before.points : 0;
}

/**
 * Scores that belong to players, not to seats (SPEC SCORE-7): a player's score is what
 * their node made while they held it, plus what they made in seats held before. A
 * player who takes over a seat (from its bot, or after someone left) starts from 0.
 */
export class PlayerScores {
  private readonly ledgers = new Map<string, PlayerLedger>();

  /** `id` takes the seat `node` of `copy`, whose breakdown is `nodeNow`; `carried` is what they made before. */
  seat(
    id: string,
    copy: number,
    node: string,
    nodeNow: ScoreParts,
    carried: ScoreParts = {},
    device?: string,
  ): void {
    const l: PlayerLedger = {
      copy,
      node,
      baseline: structuredClone(nodeNow),
      carried: structuredClone(carried),
    };
    if (device !== undefined) l.device = device;
    this.ledgers.set(id, l);
  }

  /** The browser id `id` joined with, if any. */
  device(id: string): string | undefined {
    return this.ledgers.get(id)?.device;
  }

  /** `id`'s breakdown now, given a way to read a node's breakdown; null for someone without a seat. */
  parts(id: string, nodeParts: (copy: number, node: string) => ScoreParts): ScoreParts | null {
    const l = this.ledgers.get(id);
    if (!l) return null;
    if (l.covered) return structuredClone(l.carried);
    return sumParts(l.carried, partsSince(nodeParts(l.copy, l.node), l.baseline));
  }

  /**
   * A bot covers `id`'s seat, whose breakdown is `nodeNow` (SPEC COVER-2): what they made
   * so far is kept, and nothing the node makes from now on is theirs, good or bad.
   * False when `id` has no account or is covered already.
   */
  cover(id: string, nodeNow: ScoreParts): boolean {
    const l = this.ledgers.get(id);
    if (!l || l.covered) return false;
    l.carried = sumParts(l.carried, partsSince(nodeNow, l.baseline));
    l.covered = true;
    return true;
  }

  /** `id` took their seat back from the bot: they count again from `nodeNow` (SPEC COVER-2). */
  uncover(id: string, nodeNow: ScoreParts): void {
    const l = this.ledgers.get(id);
    if (!l?.covered) return;
    l.baseline = structuredClone(nodeNow);
    delete l.covered;
  }

  /** Whether a bot covers `id`'s seat (SPEC COVER-1). */
  covered(id: string): boolean {
    return this.ledgers.get(id)?.covered === true;
  }

  /**
   * `id`'s score now (0 without a seat): `partsTotal(parts(…))` without building the
   * breakdown — the same sums in the same order (carried parts, then parts new since the
   * seat was taken). The room asks for every player's four times a second, and the
   * clones of `parts` were most of that time.
   */
  score(id: string, nodeParts: (copy: number, node: string) => ScoreParts): number {
    const l = this.ledgers.get(id);
    if (!l) return 0;
    if (l.covered) return partsTotal(l.carried);
    const now = nodeParts(l.copy, l.node);
    let total = 0;
    for (const [part, c] of Object.entries(l.carried)) total += c.points + pointsSince(now, l.baseline, part);
    for (const part of Object.keys(now))
      if (!Object.hasOwn(l.carried, part)) total += pointsSince(now, l.baseline, part);
    return total;
  }

  /** The same player under a new session id (a seat taken back after a restart). */
  move(from: string, to: string): void {
    const l = this.ledgers.get(from);
    if (!l) return;
    this.ledgers.delete(from);
    this.ledgers.set(to, l);
  }

  /** `id` left: their account is closed. */
  forget(id: string): void {
    this.ledgers.delete(id);
  }

  /**
   * Every open account, for a checkpoint (SPEC PERSIST-3): the live ledgers, not copies —
   * to serialise at once (the room writes it as JSON on its tick, twice a second).
   */
  save(): Readonly<Record<string, Readonly<PlayerLedger>>> {
    return Object.fromEntries(this.ledgers);
  }

  /** Carries on from `save`'s accounts. */
  load(saved: Record<string, PlayerLedger>): void {
    for (const [id, l] of Object.entries(saved)) this.ledgers.set(id, structuredClone(l));
  }
}

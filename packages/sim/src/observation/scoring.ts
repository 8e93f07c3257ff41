import type { DnsSource } from '../application/dns/message.ts';
import type { SimRecord } from '../engine/records.ts';
import type { Scenario } from '../scenario/scenario.ts';

/**
 * Points rules (SPEC SCORE-1..3); documented in docs/SPEC.md. A failure earns nothing
 * and takes nothing away (as in Kahoot): one seat that delivers nothing cannot wipe out
 * what the rest of its team earned. Failures are counted in the breakdown (SCORE-7).
 */
export const POINTS = {
  requestMax: 100,
  requestFailed: 0,
  frameMax: 10,
  frameLost: 0,
} as const;

/** One line of a score's breakdown (SPEC SCORE-7): how many outcomes of a kind, and the points they made. */
export interface ScorePart {
  count: number;
  points: number;
}

/** A score's breakdown by part ("delivered", "hand-timeout", "frame", …). */
export type ScoreParts = Record<string, ScorePart>;

/** Adds `points` under `part` of `parts`. */
export function addPart(parts: ScoreParts, part: string, points: number, count = 1): void {
  const p = parts[part] ?? { count: 0, points: 0 };
  p.count += count;
  p.points += points;
  parts[part] = p;
}

/** The score a breakdown adds up to. */
export function partsTotal(parts: ScoreParts): number {
  let total = 0;
  for (const p of Object.values(parts)) total += p.points;
  return total;
}

/** The score of one completed unit: full marks at the ideal latency, less as it grows. */
export function latencyPoints(max: number, idealUs: number, latencyUs: number): number {
  if (latencyUs <= 0) return max;
  return Math.round(max * Math.min(1, idealUs / latencyUs));
}

/**
 * Live scores from simulation records: one network score (the team's) and one
 * score per role node (the player's, by its role's rule: roles/<role>/scoring.ts).
 * Pure; the server owns the only instance that counts.
 */
export class Scoreboard {
  network = 0;
  /** Per node index; only role nodes ever score. */
  readonly byNode: number[];
  /** How the network's score was made (SPEC SCORE-7). */
  networkParts: ScoreParts = {};
  /** How each node's score was made, per node index (SPEC SCORE-7). */
  readonly partsByNode: ScoreParts[];
  private readonly sc: Scenario;
  private readonly credit = (node: number, points: number, part: string): void => {
    this.byNode[node] = (this.byNode[node] ?? 0) + points;
    const parts = this.partsByNode[node];
    if (parts) addPart(parts, part, points);
  };

  constructor(sc: Scenario) {
    this.sc = sc;
    this.byNode = sc.file.nodes.map(() => 0);
    this.partsByNode = sc.file.nodes.map(() => ({}));
  }

  private earn(part: string, points: number): void {
    this.network += points;
    addPart(this.networkParts, part, points);
  }

  add(r: SimRecord): void {
    const ideal = (flow: number) => this.sc.idealOneWayUs[flow] ?? 0;
    switch (r.k) {
      case 'requestCompleted':
        // A page load's request scores with the page load (below).
        if (this.isPageLoad(r.flow)) break;
        // A request needs two round trips: the handshake, then request and response (SPEC SCORE-1).
        this.earn('request', latencyPoints(POINTS.requestMax, 4 * ideal(r.flow), r.latencyUs));
        break;
      case 'pageLoad':
        // The request's ideal plus the lookup's round trips it needed (SPEC PAGE-4).
        this.earn(
          'page',
          latencyPoints(POINTS.requestMax, 4 * ideal(r.flow) + this.dnsIdealUs(r.flow, r.source), r.totalUs),
        );
        break;
      case 'pageLoadFailed':
        // Failed before its request started (a later failure's requestFailed counts).
        if (r.phase === 'dns') this.earn('request-failed', POINTS.requestFailed);
        break;
      case 'requestFailed':
        this.earn('request-failed', POINTS.requestFailed);
        break;
      case 'frameDelivered':
        this.earn('frame', latencyPoints(POINTS.frameMax, ideal(r.flow), r.latencyUs));
        break;
      case 'frameLost':
        this.earn('frame-lost', POINTS.frameLost);
        break;
    }
    for (const role of this.sc.roles.roles) role.score(r, this.credit, this.sc);
  }

  private isPageLoad(flow: number): boolean {
    const f = this.sc.file.traffic[flow];
    return f?.kind === 'tcp' && f.name !== undefined;
  }

  /** The ideal lookup time of a page load whose answer came from `source` (SPEC PAGE-4). */
  private dnsIdealUs(flow: number, source: DnsSource): number {
    if (source === 'stub') return 0;
    const toResolver = this.sc.pageLoadDnsRttUs[2 * flow] ?? 0;
    return source === 'resolver' ? toResolver : toResolver + (this.sc.pageLoadDnsRttUs[2 * flow + 1] ?? 0);
  }

  /** How the role node with id `nodeId` made its score (empty for unknown ids). */
  nodeParts(nodeId: string): ScoreParts {
    const node = this.sc.nodeIndex.get(nodeId);
    return node === undefined ? {} : (this.partsByNode[node] ?? {});
  }

  /** Score of the role node with id `nodeId` (0 for unknown ids). */
  nodeScore(nodeId: string): number {
    const node = this.sc.nodeIndex.get(nodeId);
    return node === undefined ? 0 : (this.byNode[node] ?? 0);
  }
}

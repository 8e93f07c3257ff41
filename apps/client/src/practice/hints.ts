import {
  findPacketSlot,
  formatAddress,
  LOSS_REASON_TEXT,
  type LossReason,
  packetHeaders,
  type Scenario,
  type SimRecord,
  type Simulation,
} from '@roundtrip/sim';

/** The same hint is not repeated within this much simulated time. */
export const HINT_REPEAT_US = 15_000_000;
/** Hints kept, newest first. */
export const HINTS_KEPT = 4;

/** A hint that came from something that happened (SPEC PRAC-7). */
export interface Hint {
  /** What it is about, e.g. "no-route 10.3.0.10"; one hint per key at a time. */
  key: string;
  text: string;
  /** Simulated time it happened, µs. */
  atUs: number;
}

/** What to try next, per failure reason, when it happens at the player's own seat. */
const NEXT_STEP: Partial<Record<LossReason, string>> = {
  'queue-full':
    'More waits for that link than its queue holds: send some traffic another way, or give real-time UDP priority.',
  'red-drop': 'RED drops early to keep the queue short; FIFO or priority keep more packets but delay them.',
  'ttl-expired': 'Routers are passing it round in a loop: check where your next hop sends it.',
  'hand-timeout': 'Forward them sooner, or add routes and let the table forward them.',
  'hand-queue-full': 'Forward the waiting packets, or turn hand forwarding off once your routes are in.',
  'link-down': 'Send this traffic another way until the link comes back.',
  'link-loss': 'Another path may deliver more.',
};

/**
 * Hints that react to the round (SPEC PRAC-7): records of failures at the player's
 * seat — packets it dropped, with the reason and where they were going, answers it gave
 * that pointed at a dark data centre, packets lost on its links — become sentences
 * that name what happened, where, and what to try. Role-agnostic: it reads the
 * simulation's records and the scenario's nodes, never a role's state.
 */
export class ReactiveHints {
  private readonly hints: Hint[] = [];
  private readonly lastUs = new Map<string, number>();
  private readonly me: number;
  private readonly myLinks: Set<number>;
  private readonly scenario: Scenario;
  /** The player's seat as a hint names it ("your router West (r-west)"). */
  private readonly seatText: string;

  constructor(scenario: Scenario, node: string, seatText: string) {
    this.scenario = scenario;
    this.seatText = seatText;
    this.me = scenario.nodeIndex.get(node) ?? -1;
    this.myLinks = new Set(scenario.file.links.flatMap((l, i) => (l.a === node || l.b === node ? [i] : [])));
  }

  /** The hints so far, newest first. */
  get list(): readonly Hint[] {
    return this.hints;
  }

  /**
   * Reads one record of the simulation `sim` (called from its record listener, so a
   * dropped packet's headers can still be read).
   */
  add(r: SimRecord, sim: Simulation | null): void {
    const hint = this.hintFor(r, sim);
    if (!hint) return;
    const last = this.lastUs.get(hint.key);
    if (last !== undefined && hint.atUs - last < HINT_REPEAT_US) return;
    this.lastUs.set(hint.key, hint.atUs);
    const old = this.hints.findIndex((x) => x.key === hint.key);
    if (old >= 0) this.hints.splice(old, 1);
    this.hints.unshift(hint);
    if (this.hints.length > HINTS_KEPT) this.hints.length = HINTS_KEPT;
  }

  private hintFor(r: SimRecord, sim: Simulation | null): Hint | null {
    if (r.k === 'drop' && r.node === this.me) return this.dropHere(r, sim);
    if (r.k === 'drop' && r.link >= 0 && this.myLinks.has(r.link) && r.reason === 'link-down') {
      const link = this.scenario.file.links[r.link];
      if (!link) return null;
      return {
        key: `link-down ${link.id}`,
        atUs: r.tUs,
        text: `Your link ${this.nodeLabel(link.a)}–${this.nodeLabel(link.b)} is down: packets sent on it are lost. ${NEXT_STEP['link-down'] ?? ''}`,
      };
    }
    if (r.k === 'deadAnswer' && r.node === this.me)
      return {
        key: `dead ${r.name}`,
        atUs: r.tUs,
        text: `${capital(this.seatText)} answered ${r.name} with ${formatAddress(r.addr)}, a server in a dark data centre: the page load fails there. Answer with a data centre that is up, or keep answers short so they change sooner.`,
      };
    if (r.k === 'gslbAnswer' && r.node === this.me && r.dark)
      return {
        key: `dark ${r.name} ${r.dc}`,
        atUs: r.tUs,
        text: `${capital(this.seatText)} sent ${r.region} to ${r.dc} for ${r.name}, but ${r.dc} is dark. Pick a policy that fails over, or another data centre.`,
      };
    return null;
  }

  private dropHere(r: Extract<SimRecord, { k: 'drop' }>, sim: Simulation | null): Hint {
    const headers = sim ? packetHeaders(sim, findPacketSlot(sim, r.packetId)) : null;
    const dst = headers ? formatAddress(headers.dstAddr) : null;
    if (r.reason === 'no-route' && dst) {
      const covering = `${dst.split('.').slice(0, 2).join('.')}.0.0/16`;
      return {
        key: `no-route ${covering}`,
        atUs: r.tUs,
        text: `Packets for ${dst} are dropped at ${this.seatText}: no route. Add a route for a prefix that covers it, such as ${covering}.`,
      };
    }
    const towards = dst ? ` for ${dst}` : '';
    return {
      key: `${r.reason}`,
      atUs: r.tUs,
      text: `Packets${towards} are dropped at ${this.seatText}: ${LOSS_REASON_TEXT[r.reason]}.${NEXT_STEP[r.reason] ? ` ${NEXT_STEP[r.reason]}` : ''}`,
    };
  }

  private nodeLabel(id: string): string {
    return this.scenario.file.nodes.find((n) => n.id === id)?.label || id;
  }
}

function capital(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

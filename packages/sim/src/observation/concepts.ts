import { LOSS_REASON_TEXT, type LossReason } from '../engine/records.ts';

/** Why a page load failed (SPEC PAGE-3), as the debrief names it; a DNS lookup's own failures map onto these. */
export type PageLoadReason =
  | 'nxdomain'
  | 'servfail'
  | 'dns-timeout'
  | 'dead-address'
  | 'connection-refused'
  | 'connection-reset'
  | 'timeout';

/** Every failure reason the debrief groups by (SPEC DEBRIEF-2). */
export type FailureReason = LossReason | PageLoadReason;

/**
 * The concept behind each failure reason, in one plain sentence (SPEC DEBRIEF-2). A
 * scenario's `debrief.concepts` replaces any of them for its lesson.
 */
export const FAILURE_CONCEPTS: Record<FailureReason, string> = {
  'queue-full':
    'A link sends one packet at a time; when packets arrive faster than it can send, its queue fills and the newest are dropped (tail drop).',
  'red-drop':
    'RED drops a few packets early, before the queue is full, so senders slow down before everyone loses at once.',
  'link-loss':
    'Wires and radios lose packets now and then; nobody is told, so only a retransmission can help.',
  'link-down': 'A link that is down carries nothing: packets sent its way are lost until routes avoid it.',
  'ttl-expired':
    'Every router lowers a packet’s TTL by one and drops it at zero, so a routing loop cannot keep a packet forever.',
  'no-route':
    'A router with no entry matching the destination address has nowhere to send the packet, so drops it.',
  'hand-timeout':
    'A packet waiting at a router is not moving: forwarding late is as bad as not forwarding at all.',
  'hand-queue-full': 'A router holds only so many packets; when its inbox is full, new arrivals are dropped.',
  'wrong-host': 'A packet delivered to a host that does not own its destination address is thrown away.',
  'deadline-missed':
    'Real-time frames (voice, games) are useless once their moment has passed: late counts as lost.',
  'timed-out':
    'TCP retransmits what is lost, but each retry waits longer; after too many, the request gives up.',
  'host-down':
    'A data centre that has gone dark answers nothing: packets to its addresses are lost until clients are sent elsewhere.',
  'connection-reset':
    'A connection lives in the two ends’ memory; when the server end is gone or changed, it answers with a reset (RST).',
  'backend-down':
    'A balancer sends nothing to a backend that is down: connections pinned to it break, and new ones go to the others (or nowhere).',
  'pool-overloaded':
    'When every backend already holds as many connections as it may, a balancer has nowhere to put a new one and turns it away.',
  'lb-overloaded':
    'An L7 balancer reads every request, and that costs it CPU: when more arrive than it can read, they queue, and beyond its queue it turns them away.',
  'conn-moved':
    'A connection lives in one server’s memory: a balancer that sends its next packet to another server breaks it (keep the connection pinned).',
  nxdomain:
    'DNS answered that the name does not exist (NXDOMAIN), so the browser has no address to connect to.',
  servfail: 'The resolver could not get an answer from the authoritative servers and gave up (SERVFAIL).',
  'dns-timeout':
    'The lookup’s queries and retries all went unanswered, so the page never learned an address.',
  'dead-address':
    'DNS gave an address that nothing answers at (a stale or wrong answer), so the connection never opened.',
  'connection-refused': 'The server answered the handshake with a reset: nothing was listening there.',
  timeout: 'The page load ran out of time waiting for the network: packets were lost or delayed too long.',
};

/** The scenario's optional debrief text (docs/SCENARIOS.md "debrief"). */
export interface DebriefText {
  summary: string;
  concepts: Partial<Record<string, string>>;
}

/** The sentence for `reason`: the scenario's own, else the default, else a plain fallback for a reason this build does not know. */
export function conceptFor(reason: string, debrief?: DebriefText | undefined): string {
  return (
    debrief?.concepts[reason] ??
    FAILURE_CONCEPTS[reason as FailureReason] ??
    'Something on the path failed; look where it happened.'
  );
}

/** Words a reader sees for the failure reasons only page loads have (LOSS_REASON_TEXT names the others). */
export const PAGE_LOAD_REASON_TEXT: Record<Exclude<PageLoadReason, LossReason>, string> = {
  nxdomain: 'the name does not exist (NXDOMAIN)',
  servfail: 'the resolver gave up (SERVFAIL)',
  'dns-timeout': 'no DNS answer in time',
  'dead-address': 'DNS pointed at a dead address',
  'connection-refused': 'the server refused the connection',
  timeout: 'the page load timed out',
};

/**
 * Every failure reason's words, one label each, wherever a player reads it: the map's
 * badges, the packet inspector, the page-load waterfall and the debrief (SPEC DEBRIEF-2).
 */
export const FAILURE_REASON_TEXT: Record<FailureReason, string> = {
  ...LOSS_REASON_TEXT,
  ...PAGE_LOAD_REASON_TEXT,
};

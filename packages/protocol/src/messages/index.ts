import type { z } from 'zod';
import { handForward } from './hand.forward.ts';
import { handMode } from './hand.mode.ts';
import { hostDcOutage } from './host.dcOutage.ts';
import { hostEnd } from './host.end.ts';
import { hostKick } from './host.kick.ts';
import { hostLeaderboard } from './host.leaderboard.ts';
import { hostLink } from './host.link.ts';
import { hostLock } from './host.lock.ts';
import { hostLossBurst } from './host.lossBurst.ts';
import { hostNext } from './host.next.ts';
import { hostPause } from './host.pause.ts';
import { hostRename } from './host.rename.ts';
import { hostResume } from './host.resume.ts';
import { hostSeat } from './host.seat.ts';
import { hostShuffle } from './host.shuffle.ts';
import { hostStart } from './host.start.ts';
import { hostStep } from './host.step.ts';
import { hostTimeScale } from './host.timeScale.ts';
import { hostTrafficSpike } from './host.trafficSpike.ts';
import { l4lbAlgorithm } from './l4lb.algorithm.ts';
import { l4lbBackend } from './l4lb.backend.ts';
import { l4lbFlush } from './l4lb.flush.ts';
import { l4lbTracking } from './l4lb.tracking.ts';
import { l4lbWeight } from './l4lb.weight.ts';
import { l7lbAlgorithm } from './l7lb.algorithm.ts';
import { l7lbBackend } from './l7lb.backend.ts';
import { l7lbPoolSize } from './l7lb.poolSize.ts';
import { l7lbRule } from './l7lb.rule.ts';
import { l7lbRuleDelete } from './l7lb.ruleDelete.ts';
import { l7lbSticky } from './l7lb.sticky.ts';
import { playerAutopilot } from './player.autopilot.ts';
import { playerTeam } from './player.team.ts';
import { queueSet } from './queue.set.ts';
import { resolverAnswer } from './resolver.answer.ts';
import { resolverFlush } from './resolver.flush.ts';
import { resolverPolicy } from './resolver.policy.ts';
import { routeDelete } from './route.delete.ts';
import { routeSet } from './route.set.ts';
import { syncResync } from './sync.resync.ts';
import { viewCopy } from './view.copy.ts';

/**
 * Every message a client may send, one line each (SPEC MSG-1). A new message is
 * its own file in this folder and one line here; the room reads sender, phases
 * and command from the definition.
 */
export const CLIENT_MESSAGES = [
  hostStart,
  hostPause,
  hostResume,
  hostEnd,
  hostTimeScale,
  hostLink,
  hostTrafficSpike,
  hostStep,
  hostLossBurst,
  hostLock,
  hostKick,
  hostRename,
  hostSeat,
  hostShuffle,
  hostLeaderboard,
  hostNext,
  viewCopy,
  hostDcOutage,
  syncResync,
  playerAutopilot,
  playerTeam,
  routeSet,
  routeDelete,
  handMode,
  handForward,
  queueSet,
  resolverPolicy,
  resolverFlush,
  resolverAnswer,
  l4lbAlgorithm,
  l4lbWeight,
  l4lbBackend,
  l4lbTracking,
  l4lbFlush,
  l7lbRule,
  l7lbRuleDelete,
  l7lbSticky,
  l7lbPoolSize,
  l7lbAlgorithm,
  l7lbBackend,
] as const;

/** The definition of any registered message. */
export type ClientMessageDefinition = (typeof CLIENT_MESSAGES)[number];
/** The wire type of any registered message. */
export type ClientMessageType = ClientMessageDefinition['type'];
/** The payload a client sends for message `T`. */
export type ClientMessage<T extends ClientMessageType> = z.input<
  Extract<ClientMessageDefinition, { type: T }>['schema']
>;
/** The payload of message `T` as the room reads it, after validation. */
export type MessagePayload<T extends ClientMessageType> = z.output<
  Extract<ClientMessageDefinition, { type: T }>['schema']
>;

const BY_TYPE: ReadonlyMap<string, ClientMessageDefinition> = new Map(
  CLIENT_MESSAGES.map((m) => [m.type, m]),
);

/** The definition of the message with wire type `type`, or undefined for a type nobody defined. */
export function clientMessage(type: string): ClientMessageDefinition | undefined {
  return BY_TYPE.get(type);
}

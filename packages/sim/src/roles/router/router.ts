/** The router role (GAME.md): forwards by its table (longest-prefix match), or by hand in lesson 1. */
import { NODE_FORWARD, NODE_ROLE } from '../../engine/core.ts';
import { defineRole } from '../role.ts';
import { onRouterBotTimer, ROUTER_BOT_SKILLS, routerBot } from './bot.ts';
import type { RouterCommand } from './commands.ts';
import { routerCommands } from './commands.ts';
import { holdForHand, onHandTimeout } from './handForwarding.ts';
import { scoreRouter } from './scoring.ts';
import { checkRouterSpec, routerNodeSchema } from './spec.ts';
import { initialRouterState, type RouterState } from './state.ts';
import { type RouterView, viewRouter } from './view.ts';

export const routerRole = defineRole<
  ReturnType<typeof routerNodeSchema.parse>,
  RouterState,
  RouterCommand,
  RouterView
>({
  name: 'router',
  nodeSchema: routerNodeSchema,
  checkSpec: checkRouterSpec,
  forwards: true,
  initialState: initialRouterState,
  // By table the hop path forwards without asking the role; by hand every packet comes here.
  mode: (r) => (r.handForwarding ? NODE_ROLE : NODE_FORWARD),
  arrive: (sim, hooks, r, slot, link) => holdForHand(sim, hooks, r, slot, link),
  onTimer: (sim, hooks, r, packetId) => onHandTimeout(sim, hooks, r, packetId),
  commands: routerCommands,
  botSkills: ROUTER_BOT_SKILLS,
  /** Competent: the scenario's bot routes (else its routes), forwarding by table (SPEC CMD-2, BOT-4). */
  defaultBotSkill: 'competent',
  bot: routerBot,
  onBotTimer: onRouterBotTimer,
  // Packets held for hand forwarding wait on the player (SPEC COVER-1).
  awaitingPlayer: (state) => state.handQueue.length,
  view: viewRouter,
  score: scoreRouter,
});

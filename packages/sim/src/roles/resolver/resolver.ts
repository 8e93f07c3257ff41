/** The recursive resolver role (GAME.md): answers its stubs from its cache, asks the authority on a miss (SPEC DNS-11..16). */
import { NODE_ROLE } from '../../engine/core.ts';
import { defineRole } from '../role.ts';
import { onResolverBotTimer, RESOLVER_BOT_SKILLS, resolverBot } from './bot.ts';
import { type ResolverCommand, resolverCommands } from './commands.ts';
import { HEALTH_TIMER_BASE, onHealthTimer, startHealthChecks } from './gslb.ts';
import { onResolverTimer, resolverArrive } from './resolve.ts';
import { scoreResolver } from './scoring.ts';
import { checkResolverSpec, type ResolverSpec, resolverNodeSchema } from './spec.ts';
import { initialResolverState, type ResolverState } from './state.ts';
import { type ResolverView, viewResolver } from './view.ts';

export const resolverRole = defineRole<ResolverSpec, ResolverState, ResolverCommand, ResolverView>({
  name: 'resolver',
  nodeSchema: resolverNodeSchema,
  checkSpec: checkResolverSpec,
  forwards: false,
  initialState: (spec, node, sc) => initialResolverState(spec, node, sc),
  // Every packet reaching it is for it (it is a leaf with one link).
  mode: () => NODE_ROLE,
  arrive: resolverArrive,
  // Its health checks start with the run (SPEC GSLB-6).
  start: (sim, _hooks, r) => startHealthChecks(sim, r),
  // Args from HEALTH_TIMER_BASE up are the health checks' timers; smaller ones name an upstream query.
  onTimer: (sim, _hooks, r, arg) =>
    arg >= HEALTH_TIMER_BASE ? onHealthTimer(sim, r, arg) : onResolverTimer(sim, r, arg),
  commands: resolverCommands,
  botSkills: RESOLVER_BOT_SKILLS,
  /** Competent: the scenario's bot policy (else its policy) (SPEC CMD-2, BOT-5). */
  defaultBotSkill: 'competent',
  bot: resolverBot,
  onBotTimer: onResolverBotTimer,
  view: viewResolver,
  score: scoreResolver,
});

/** The recursive resolver role (GAME.md): answers its stubs from its cache, asks the authority on a miss (SPEC DNS-11..16). */
import { NODE_ROLE } from '../../engine/core.ts';
import { defineRole } from '../role.ts';
import { type ResolverCommand, resolverCommands } from './commands.ts';
import { botAnswers, onHealthTimer, startHealthChecks } from './gslb.ts';
import { onResolverTimer, resolverArrive } from './resolve.ts';
import { scoreResolver } from './scoring.ts';
import { checkResolverSpec, type ResolverSpec, resolverNodeSchema } from './spec.ts';
import { answersFor, cachePolicyOf, initialResolverState, type ResolverState } from './state.ts';
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
  // Negative args are the health checks' timers; others name an upstream query.
  onTimer: (sim, _hooks, r, arg) => (arg < 0 ? onHealthTimer(sim, r, arg) : onResolverTimer(sim, r, arg)),
  commands: resolverCommands,
  /** The bot restores the scenario's cache policy (SPEC CMD-2) and sets sensible answer policies (SPEC GSLB-8). */
  bot(sim, r, spec) {
    r.policy = cachePolicyOf(spec.policy);
    r.answers = answersFor(sim.sc, botAnswers(sim, r));
    return null;
  },
  view: viewResolver,
  score: scoreResolver,
});

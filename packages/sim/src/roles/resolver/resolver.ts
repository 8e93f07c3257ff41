/** The recursive resolver role (GAME.md): answers its stubs from its cache, asks the authority on a miss (SPEC DNS-11..16). */
import { NODE_ROLE } from '../../engine/core.ts';
import { defineRole } from '../role.ts';
import { type ResolverCommand, resolverCommands } from './commands.ts';
import { onResolverTimer, resolverArrive } from './resolve.ts';
import { scoreResolver } from './scoring.ts';
import { checkResolverSpec, type ResolverSpec, resolverNodeSchema } from './spec.ts';
import { cachePolicyOf, initialResolverState, type ResolverState } from './state.ts';
import { type ResolverView, viewResolver } from './view.ts';

export const resolverRole = defineRole<ResolverSpec, ResolverState, ResolverCommand, ResolverView>({
  name: 'resolver',
  nodeSchema: resolverNodeSchema,
  checkSpec: checkResolverSpec,
  forwards: false,
  initialState: (spec, node) => initialResolverState(spec, node),
  // Every packet reaching it is for it (it is a leaf with one link).
  mode: () => NODE_ROLE,
  arrive: resolverArrive,
  onTimer: (sim, _hooks, r, key) => onResolverTimer(sim, r, key),
  commands: resolverCommands,
  /** The bot restores the scenario's cache policy (SPEC CMD-2). */
  bot(_sim, r, spec) {
    r.policy = cachePolicyOf(spec.policy);
    return null;
  },
  view: viewResolver,
  score: scoreResolver,
});

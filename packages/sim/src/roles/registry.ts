/**
 * The role registry: every role the simulation knows, one line each. Adding a role
 * is its folder under roles/ and a line here (docs/ARCHITECTURE.md, "Adding a role").
 */
import type { SimCore } from '../engine/core.ts';
import type { L4lbCommand } from './l4lb/commands.ts';
import { l4lbRole } from './l4lb/l4lb.ts';
import { l4lbNodeSchema } from './l4lb/spec.ts';
import type { L4lbState } from './l4lb/state.ts';
import type { L4lbView } from './l4lb/view.ts';
import type { L7lbCommand } from './l7lb/commands.ts';
import { l7lbRole } from './l7lb/l7lb.ts';
import { l7lbNodeSchema } from './l7lb/spec.ts';
import type { L7lbState } from './l7lb/state.ts';
import type { L7lbView } from './l7lb/view.ts';
import type { ResolverCommand } from './resolver/commands.ts';
import { resolverRole } from './resolver/resolver.ts';
import { resolverNodeSchema } from './resolver/spec.ts';
import type { ResolverState } from './resolver/state.ts';
import type { ResolverView } from './resolver/view.ts';
import type { AnyRole, RoleDef, RoleNodeSpec, RoleStateBase } from './role.ts';
import type { RouterCommand } from './router/commands.ts';
import { routerRole } from './router/router.ts';
import { routerNodeSchema } from './router/spec.ts';
import type { RouterState } from './router/state.ts';
import type { RouterView } from './router/view.ts';

/** The roles, in the order their node specs join the scenario schema. */
export const ROLES = [routerRole, resolverRole, l4lbRole, l7lbRole] as const;
/** Their node specs, in the same order, as zod's discriminated union needs them typed (one line per role). */
export const ROLE_NODE_SCHEMAS = [
  routerNodeSchema,
  resolverNodeSchema,
  l4lbNodeSchema,
  l7lbNodeSchema,
] as const;

/** A role node's state, by role (one line per role). */
export type RoleState = RouterState | ResolverState | L4lbState | L7lbState;
/** A command to a role node, by role (one line per role). */
export type RoleCommand = RouterCommand | ResolverCommand | L4lbCommand | L7lbCommand;
/** A role node's read-only view, by role (one line per role). */
export type RoleView = RouterView | ResolverView | L4lbView | L7lbView;

/** The roles a player can hold. */
export type RoleName = (typeof ROLES)[number]['name'];

/** A set of roles a scenario is read with: the standard one, or (in tests) one with extra roles. */
export class RoleRegistry {
  readonly roles: readonly AnyRole[];
  private readonly byName = new Map<string, AnyRole>();
  private readonly byCommand = new Map<string, AnyRole>();

  constructor(roles: readonly AnyRole[]) {
    this.roles = roles;
    for (const role of roles) {
      if (this.byName.has(role.name)) throw new Error(`two roles are named "${role.name}"`);
      this.byName.set(role.name, role);
      for (const type of Object.keys(role.commands)) {
        const other = this.byCommand.get(type);
        if (other) throw new Error(`roles "${other.name}" and "${role.name}" both define command "${type}"`);
        this.byCommand.set(type, role);
      }
    }
  }

  /** The role named `name` (a role node's `kind`), if any. */
  role(name: string): AnyRole | undefined {
    return this.byName.get(name);
  }

  /** The role whose command `type` is, if any. */
  commandOwner(type: string): AnyRole | undefined {
    return this.byCommand.get(type);
  }

  /** The role of a node's state. */
  of(state: RoleStateBase): AnyRole {
    const role = this.byName.get(state.role);
    if (!role) throw new Error(`simulation invariant broken: no role "${state.role}"`);
    return role;
  }
}

/** Erases a role's types for the registry's dispatch (each role checked its own in defineRole). */
export function erase<
  S extends RoleNodeSpec,
  T extends RoleStateBase,
  C extends { type: string; node: string },
  V,
>(role: RoleDef<S, T, C, V>): AnyRole {
  return role as unknown as AnyRole;
}

/** The standard roles. */
export const STANDARD_ROLES = new RoleRegistry([
  erase(routerRole),
  erase(resolverRole),
  erase(l4lbRole),
  erase(l7lbRole),
]);

/** The view of the role node `id`, or null when `id` is no role node. */
export function nodeView(sim: SimCore, id: string): RoleView | null {
  const node = sim.sc.nodeIndex.get(id);
  const state = node === undefined ? null : (sim.st.roles[node] ?? null);
  return state ? (sim.sc.roles.of(state).view(sim, state) as RoleView) : null;
}

/** How many things wait at role node `id` for its player (SPEC COVER-1); 0 for a role that never waits or no role node. */
export function awaitingPlayer(sim: SimCore, id: string): number {
  const node = sim.sc.nodeIndex.get(id);
  const state = node === undefined ? null : (sim.st.roles[node] ?? null);
  return state ? (sim.sc.roles.of(state).awaitingPlayer?.(state) ?? 0) : 0;
}

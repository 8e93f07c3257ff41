import { z } from 'zod';
import { parsePrefix } from '../../network/address.ts';
import { nodeId, roleNodeFields } from '../nodeFields.ts';
import type { SpecContext } from '../role.ts';

/** Most routes in one router's table (SPEC SCN-3). */
export const ROUTES_PER_ROUTER_MAX = 256;

const route = z.strictObject({ prefix: z.string(), via: nodeId });

/** A router in a scenario file (docs/SCENARIOS.md). */
export const routerNodeSchema = z.strictObject({
  ...roleNodeFields,
  kind: z.literal('router'),
  /** Lesson 1: packets wait at this router until its player forwards them by hand. */
  handForwarding: z.boolean().default(false),
  /** The table a player starts with. */
  routes: z.array(route).max(ROUTES_PER_ROUTER_MAX).default([]),
  /** The table used while no player holds the seat (the bot's policy). */
  botRoutes: z.array(route).max(ROUTES_PER_ROUTER_MAX).optional(),
});
export type RouterSpec = z.infer<typeof routerNodeSchema>;

/** Both tables' prefixes parse, are unique, and name neighbours as next hops (SPEC SCN-2). */
export function checkRouterSpec(spec: RouterSpec, ctx: SpecContext): void {
  checkRoutes(spec.routes, 'routes', ctx);
  if (spec.botRoutes) checkRoutes(spec.botRoutes, 'botRoutes', ctx);
}

function checkRoutes(
  routes: readonly { prefix: string; via: string }[],
  field: string,
  ctx: SpecContext,
): void {
  const seen = new Set<string>();
  routes.forEach((r, j) => {
    if (!parsePrefix(r.prefix))
      ctx.at(
        `${field}[${j}].prefix`,
        `"${r.prefix}" is not a prefix; expected e.g. "10.2.0.0/16" with zero host bits`,
      );
    if (seen.has(r.prefix)) ctx.at(`${field}[${j}].prefix`, `duplicate prefix "${r.prefix}"`);
    seen.add(r.prefix);
    const via = ctx.nodeIndex.get(r.via);
    if (via === undefined || !(ctx.ports[ctx.node] ?? []).some((p) => p.peer === via))
      ctx.at(`${field}[${j}].via`, `"${r.via}" is not a neighbour; expected a node linked to this router`);
  });
}

import { PREFIX_MAX } from '@roundtrip/sim';
import { z } from 'zod';

/** Fields several messages share, validated the same way everywhere. */

/** A node or link id as scenarios write them. */
export const nodeId = z.string().regex(/^[a-z][a-z0-9-]{0,31}$/, 'expected a node id such as "r-west"');

/** An IPv4 prefix such as 10.2.0.0/16 (the simulation checks the host bits, SPEC RT-2). */
export const prefix = z
  .string()
  .max(18)
  .regex(/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/, 'expected a prefix such as "10.2.0.0/16"');

/** An L7 balancer's pool, named as scenarios name them (the simulation refuses an unknown one). */
export const poolName = z.string().regex(/^[a-z][a-z0-9-]{0,31}$/, 'expected a pool name such as "api"');

/**
 * A path prefix of an L7 balancer's rule (SPEC LB-L7-1): starts with "/", no spaces, "?" or "#",
 * at most PREFIX_MAX characters, so a typing slip is answered before it is sent.
 */
export const pathPrefix = z
  .string()
  .max(PREFIX_MAX, `expected at most ${PREFIX_MAX} characters`)
  .regex(
    /^\/[^\s?#]*$/,
    'expected a path prefix such as "/api": it starts with "/" and has no spaces, "?" or "#"',
  );

/** A payload without fields. */
export const empty = z.strictObject({});

/** Phases of a round in progress. */
export const DURING_ROUND = ['running', 'paused'] as const;

/** A player, named by the session id the room state keys them under. */
export const playerId = z.string().regex(/^[A-Za-z0-9_-]{1,32}$/, 'expected a player id from the room state');

/** A copy (team) index. */
export const copyIndex = z.number().int().min(0).max(255);

/**
 * Several server processes as one (SPEC SCALE-1): with `REDIS_URL` set, the
 * matchmaker's presence (pub/sub between processes, shared keys) and its room
 * listing live in Redis, so a join by code reaches a room on any process, and each
 * process says where its own rooms are reached (`PUBLIC_ADDRESS`, host:port).
 * Without it, one process keeps both in memory, as before, and the Redis modules
 * are not even loaded (they cost seconds of start-up on a busy machine).
 */
import type { Presence } from '@colyseus/core';
import type { RedisDriver } from '@colyseus/redis-driver';

/** The matchmaker options for this process's environment. */
export async function scaleOutOptions(env: NodeJS.ProcessEnv = process.env): Promise<{
  presence?: Presence & { shutdown(): void };
  driver?: RedisDriver;
  publicAddress?: string;
}> {
  const url = env.REDIS_URL;
  if (!url) return {};
  const [{ RedisPresence }, { RedisDriver }] = await Promise.all([
    import('@colyseus/redis-presence'),
    import('@colyseus/redis-driver'),
  ]);
  return {
    presence: new RedisPresence(url),
    driver: new RedisDriver(url),
    ...(env.PUBLIC_ADDRESS ? { publicAddress: env.PUBLIC_ADDRESS } : {}),
  };
}

import type { SimCommand } from '@roundtrip/sim';
import { z } from 'zod';
import {
  JOIN_CODE_ALPHABET,
  LESSONS,
  NICKNAME_MAX_CHARS,
  TIME_SCALE_MAX,
  TIME_SCALE_MIN,
} from './constants.ts';

/**
 * Every message a client may send, with its validator (SPEC MSG-1). The room
 * answers anything that fails validation with an `error` message and changes nothing.
 */

const nodeId = z.string().regex(/^[a-z][a-z0-9-]{0,31}$/, 'expected a node id such as "r-west"');
const prefix = z
  .string()
  .max(18)
  .regex(/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/, 'expected a prefix such as "10.2.0.0/16"');
const empty = z.strictObject({});

export const clientMessages = {
  'host.start': empty,
  'host.pause': empty,
  'host.resume': empty,
  'host.end': empty,
  'host.timeScale': z.strictObject({ scale: z.number().min(TIME_SCALE_MIN).max(TIME_SCALE_MAX) }),
  'host.link': z.strictObject({ copy: z.number().int().min(0).max(255), link: nodeId, up: z.boolean() }),
  'route.set': z.strictObject({ prefix, via: nodeId }),
  'route.delete': z.strictObject({ prefix }),
  'hand.mode': z.strictObject({ enabled: z.boolean() }),
  'hand.forward': z.strictObject({
    packetId: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
    via: nodeId,
  }),
  'sync.resync': empty,
} as const;

export type ClientMessageType = keyof typeof clientMessages;
export type ClientMessage<T extends ClientMessageType> = z.infer<(typeof clientMessages)[T]>;

/** Messages only the host may send (SPEC ROOM-5). */
export const HOST_ONLY: ReadonlySet<ClientMessageType> = new Set([
  'host.start',
  'host.pause',
  'host.resume',
  'host.end',
  'host.timeScale',
  'host.link',
]);

const nickname = z
  .string()
  .transform((s) => s.trim())
  .pipe(
    z
      .string()
      .min(1, 'a nickname is needed')
      .max(NICKNAME_MAX_CHARS, `at most ${NICKNAME_MAX_CHARS} characters`),
  );

/** Options to create a class room (the creator becomes its host). */
export const createOptions = z.strictObject({
  scenario: z.enum(LESSONS.map((l) => l.id) as [string, ...string[]]).default('lesson-1-postal'),
  seed: z.number().int().min(0).max(0xffffffff).optional(),
  /** Overrides the scenario's round length (short rounds for tests and demos). */
  durationS: z.number().min(1).max(3_600).optional(),
  timeScale: z.number().min(TIME_SCALE_MIN).max(TIME_SCALE_MAX).optional(),
});
export type CreateOptions = z.infer<typeof createOptions>;

/** Options to join a room by code: a player with a nickname, or the host coming back with its token. */
export const joinOptions = z.union([
  z.strictObject({ nickname }),
  z.strictObject({ hostToken: z.string().min(16).max(64) }),
]);
export type JoinOptions = z.infer<typeof joinOptions>;

/** A join code as typed, checked against the alphabet. */
export const joinCode = z
  .string()
  .regex(new RegExp(`^[${JOIN_CODE_ALPHABET}]{5}$`), 'expected a 5-letter join code');

/** Error codes the room sends back (SPEC MSG-2). */
export type ErrorCode = 'invalid-message' | 'unknown-message' | 'forbidden' | 'wrong-phase' | 'rejected';

/** Server → client messages. */
export interface ServerMessages {
  /** Something a client sent was refused; nothing changed. */
  error: { code: ErrorCode; message: string; request: string };
  /** Sent on joining and on every reconnect: who you are and the scenario to build your replica from. */
  welcome: {
    role: 'host' | 'player';
    hostToken?: string;
    scenario: unknown;
    scenarioId: string;
  };
  /** A full simulation snapshot of your copy (on start, on join and on resync). */
  'sync.snapshot': { copy: number; tick: number; seed: number; bytes: Uint8Array };
  /** One simulation step: apply `commands` in order, then advance to `simTimeUs`. */
  'sync.tick': { copy: number; tick: number; simTimeUs: number; commands: SimCommand[] };
  /** The authority's state hash after `tick`; a replica that differs asks for `sync.resync`. */
  'sync.hash': { copy: number; tick: number; hash: string };
}

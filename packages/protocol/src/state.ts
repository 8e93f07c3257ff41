import { ArraySchema, MapSchema, type SchemaType, schema, t } from '@colyseus/schema';

/**
 * Room state: what people read (SPEC SYNC-2). Packets never go through here;
 * each browser runs a replica of the simulation for those.
 */

/**
 * Tags a field `.view()` when `filtered`: in a competition room the fields that tell
 * about one team's copy reach only that team, the host and projectors while the round
 * runs (SPEC COMP-4); in a class room every field is shared as before.
 */
type Tag = <F extends { view(): F }>(field: F) => F;
const shared: Tag = (field) => field;
const filtered: Tag = (field) => field.view();

/** A player's fields; `perCopy` marks those that tell about the player's copy (seat, role, score). */
function playerFields(perCopy: Tag) {
  return {
    nickname: t.string().default(''),
    /** The copy of the network (team) this player is in. */
    copy: t.uint8().default(0),
    /** The node this player holds (their seat). */
    node: perCopy(t.string().default('')),
    /** The role played at that node (a RoleName, e.g. "router"). */
    role: perCopy(t.string().default('')),
    score: perCopy(t.int32().default(0)),
    connected: t.boolean().default(true),
    /** The skill of the seat's bot playing for this player (SPEC BOTS-2); '' while the player plays. */
    autopilot: perCopy(t.string().default('')),
    /** A bot covers this player's seat while they are idle; their next action takes it back (SPEC COVER-1). */
    covered: perCopy(t.boolean().default(false)),
  };
}

/** A person in the room who plays (the host is not a player). */
export const Player = schema(playerFields(shared), 'Player');
export type Player = SchemaType<typeof Player>;

/** Live figures for one link of one copy. */
export const LinkFigures = schema(
  {
    up: t.boolean().default(true),
    /** Busier direction's share of capacity over the last sample, 0..100. */
    utilPct: t.uint8().default(0),
    /** Packets queued a→b and b→a (including the one being sent). */
    queueAB: t.uint16().default(0),
    queueBA: t.uint16().default(0),
    /** Packets this link dropped over the round: queueDrops + lost (SPEC MET-2). */
    drops: t.uint32().default(0),
    /** Dropped because a queue of this link was full (or RED dropped them early). */
    queueDrops: t.uint32().default(0),
    /** Lost on the wire: the link's loss model, or sent while it was down. */
    lost: t.uint32().default(0),
  },
  'LinkFigures',
);
export type LinkFigures = SchemaType<typeof LinkFigures>;

/**
 * One copy's fields: its index and score are shared (the leaderboard, SPEC COMP-5);
 * `perCopy` marks the figures, which tell how the copy is played.
 */
function copyFields(perCopy: Tag) {
  return {
    index: t.uint8().default(0),
    score: t.int32().default(0),
    /** How `score` was made (SPEC SCORE-7), set when the round ends: JSON of { part: { count, points } }. */
    breakdown: perCopy(t.string().default('{}')),
    /** Calls (UDP frames on time): median and p95 latency over the last 10 simulated seconds, ms. */
    udpP50LatencyMs: perCopy(t.number().default(0)),
    udpP95LatencyMs: perCopy(t.number().default(0)),
    /** Frames lost or late among those settled in the same window, 0..100. */
    udpLossPct: perCopy(t.number().default(0)),
    /** Web pages (TCP requests completed): median and p95 latency over the last 10 simulated seconds, ms. */
    tcpP50LatencyMs: perCopy(t.number().default(0)),
    tcpP95LatencyMs: perCopy(t.number().default(0)),
    /** Requests failed among those settled in the same window, 0..100. */
    tcpFailPct: perCopy(t.number().default(0)),
    /** Page loads by name (SPEC PAGE-1: DNS, TCP, TLS, request, response) completed in the window: median and p95 of the whole load, ms. */
    pageP50LatencyMs: perCopy(t.number().default(0)),
    pageP95LatencyMs: perCopy(t.number().default(0)),
    /** Page loads failed (in any phase, DNS included) among those settled in the window, 0..100. */
    pageFailPct: perCopy(t.number().default(0)),
    goodputKbps: perCopy(t.number().default(0)),
    /** Frames on time plus requests completed, over the round. */
    completed: perCopy(t.uint32().default(0)),
    /** Frames lost plus requests failed, over the round. */
    failed: perCopy(t.uint32().default(0)),
    /** Sparkline samples, oldest first, at most SPARKLINE_POINTS each. */
    udpP95History: perCopy(t.array('number').default(() => new ArraySchema<number>())),
    tcpP95History: perCopy(t.array('number').default(() => new ArraySchema<number>())),
    scoreHistory: perCopy(t.array('number').default(() => new ArraySchema<number>())),
    links: perCopy(t.map(LinkFigures).default(() => new MapSchema<LinkFigures>())),
    /** Failed frames and requests by reason (debrief). */
    failures: perCopy(t.map('uint32').default(() => new MapSchema<number>())),
  };
}

/** One copy of the network (a team) and its live figures. */
export const CopyState = schema(copyFields(shared), 'CopyState');
export type CopyState = SchemaType<typeof CopyState>;

/** One line of the final results table. */
export const ResultRow = schema(
  {
    rank: t.uint16().default(0),
    nickname: t.string().default(''),
    copy: t.uint8().default(0),
    /** The node the player held, and its role. */
    node: t.string().default(''),
    role: t.string().default(''),
    score: t.int32().default(0),
    teamScore: t.int32().default(0),
    /** The player left before the end; `score` is their score when they left. */
    left: t.boolean().default(false),
    /** How `score` was made (SPEC SCORE-7): JSON of { part: { count, points } }. */
    breakdown: t.string().default('{}'),
  },
  'ResultRow',
);
export type ResultRow = SchemaType<typeof ResultRow>;

/** Phases of a class round (SPEC ROOM-4). */
export type Phase = 'lobby' | 'running' | 'paused' | 'ended';

/** The room's fields, with the player and copy schemas of its kind. */
function roomFields(player: typeof Player, copy: typeof CopyState) {
  return {
    phase: t.string().default('lobby'),
    /** The join code people type (also the room id). */
    code: t.string().default(''),
    scenarioId: t.string().default(''),
    title: t.string().default(''),
    lesson: t.uint8().default(0),
    simTimeUs: t.number().default(0),
    durationUs: t.number().default(0),
    timeScale: t.number().default(1),
    /** The bots' skill in seats nobody holds (SPEC BOT-1, ROOM-12); '' = the lesson's own. */
    botSkill: t.string().default(''),
    /** The host lets players hand their seat to a bot (SPEC BOTS-4): load runs, demos. */
    botPlayers: t.boolean().default(false),
    /** Seats per copy: the nodes a player can hold, of any role. */
    seatsPerCopy: t.uint8().default(0),
    hostConnected: t.boolean().default(true),
    /** The host has closed the room to new players (SPEC HOST-1). */
    locked: t.boolean().default(false),
    /** The host hides the leaderboard on students' screens (SPEC HOST-7). */
    leaderboardHidden: t.boolean().default(false),
    /** Rounds played in this room so far, counting this one (SPEC HOST-8): 1 for the first. */
    round: t.uint16().default(1),
    /**
     * A competition's team names, by copy (SPEC COMP-1); empty in a class room, whose
     * teams are numbered.
     */
    teams: t.array('string').default(() => new ArraySchema<string>()),
    players: t.map(player).default(() => new MapSchema<Player>()),
    copies: t.array(copy).default(() => new ArraySchema<CopyState>()),
    results: t.array(ResultRow).default(() => new ArraySchema<ResultRow>()),
    /**
     * Where the ended round's debrief is, `<id>/<share key>` for `GET /api/rounds/…`
     * (SPEC DEBRIEF-6); empty until the results are saved, or when saving failed.
     */
    debrief: t.string().default(''),
  };
}

/** A class room's state: every field reaches every client. */
export const RoomState = schema(roomFields(Player, CopyState), 'RoomState');
export type RoomState = SchemaType<typeof RoomState>;

/**
 * A competition room's state (SPEC COMP-4): the same fields, but a player's seat and
 * score and a copy's figures are tagged `.view()`, so a client receives them only for
 * the copies its StateView holds (`competitionViews.ts` on the server). Typed as
 * RoomState: the fields and their types are the same.
 */
export const TeamPlayer = schema(playerFields(filtered), 'TeamPlayer') as unknown as typeof Player;
export const TeamCopyState = schema(copyFields(filtered), 'TeamCopyState') as unknown as typeof CopyState;
export const CompetitionState = schema(
  roomFields(TeamPlayer, TeamCopyState),
  'CompetitionState',
) as unknown as typeof RoomState;

/** The schemas a room of either kind builds its state from. */
export interface StateSchemas {
  State: typeof RoomState;
  Player: typeof Player;
  CopyState: typeof CopyState;
}

/** The schemas of a class room, or of a competition (SPEC COMP-4). */
export function stateSchemas(competition: boolean): StateSchemas {
  return competition
    ? { State: CompetitionState, Player: TeamPlayer, CopyState: TeamCopyState }
    : { State: RoomState, Player, CopyState };
}

import {
  CopyState,
  type Phase,
  Player,
  RoomState,
  type RoundResults,
  TICK_HZ,
  TICK_MS,
} from '@roundtrip/protocol';
import {
  type CopyStep,
  decide,
  finishedRound,
  type RankedResult,
  REPLAY_FORMAT,
  REPLAY_VERSION,
  type ReplayFile,
  RoundEngine,
  type RoundHost,
  roundResults,
  type Seat,
  type SimCopy,
} from '@roundtrip/server/engine';
import type { Scenario } from '@roundtrip/sim';
import { starsFor } from './stars.ts';

/** The practising player's key in the round's state (there is no connection to name it). */
export const PRACTICE_PLAYER_ID = 'you';
/** The nickname the results and the debrief show for the practising player. */
export const PRACTICE_NICKNAME = 'You';

/** What one practice attempt is: a lesson, its seed, the seat played and the bots' skill (SPEC PRAC-1). */
export interface PracticeSetup {
  scenarioId: string;
  scenario: Scenario;
  seed: number;
  /** The seat's node (any role's). */
  node: string;
  /** The bots' skill in every other seat; '' = the lesson's own (SPEC BOT-1). */
  botSkill: string;
}

/** A command the simulation refused at a tick, in the words it gave, with the message that sent it. */
export interface Refusal {
  request: string;
  error: string;
}

/**
 * A practice round run in this page (SPEC PRAC-2): the server's own round engine
 * (`@roundtrip/server/engine`, the code a class room runs) over a state of the same
 * schema, with one player and bots in every other seat, and no connection. The page
 * calls `tick` at the room's tick rate; nothing here reads a clock.
 */
export class LocalRound implements RoundHost {
  readonly state = new RoomState();
  readonly clients = [] as const;
  /** RoundHost: one learner sees everything; no view filters a practice round's copy. */
  readonly copySchema = CopyState;
  /** RoundHost: practice plays one copy. */
  readonly copiesAtStart = 1;
  readonly engine: RoundEngine;
  readonly seat: Seat;
  /** Refused commands are reported here (the page shows them beside the control). */
  onRefused: (r: Refusal) => void = () => {};
  /** Results once the round has ended. */
  results: RankedResult[] | null = null;
  /** Wall-clock ms (Date.now) the round ended, for its results. */
  private endedAtMs = 0;

  readonly setup: PracticeSetup;

  constructor(setup: PracticeSetup) {
    this.setup = setup;
    const { scenario } = setup;
    const seat = scenario.seats.find((s) => s.node === setup.node);
    if (!seat) throw new Error(`lesson ${setup.scenarioId} has no seat at ${setup.node}`);
    this.seat = { copy: 0, node: seat.node, role: seat.role };
    const st = this.state;
    const f = scenario.file;
    st.code = 'practice';
    st.scenarioId = setup.scenarioId;
    st.title = f.title;
    st.lesson = f.lesson;
    st.durationUs = f.durationS * 1_000_000;
    st.timeScale = f.timeScale;
    st.botSkill = setup.botSkill;
    st.seatsPerCopy = scenario.seats.length;
    // One player: a leaderboard of one says nothing.
    st.leaderboardHidden = true;
    const me = new Player();
    me.nickname = PRACTICE_NICKNAME;
    me.copy = 0;
    me.node = seat.node;
    me.role = seat.role;
    st.players.set(PRACTICE_PLAYER_ID, me);
    this.engine = new RoundEngine(this, { coverIdle: false });
    // Bots take every other seat at the first tick; the round waits, paused, for the player.
    this.engine.start(scenario, setup.seed);
    this.engine.pause();
  }

  /** The one copy of the network. */
  get copy(): SimCopy {
    return this.engine.copies[0] as SimCopy;
  }

  /** One tick of `dtMs` wall time at the round's speed (RoundEngine.step). */
  tick(dtMs = TICK_MS): void {
    this.engine.step(dtMs);
  }

  pause(): void {
    if (this.state.phase === 'running') this.engine.pause();
  }

  resume(): void {
    if (this.state.phase === 'paused') this.state.phase = 'running';
  }

  /** Simulated seconds per wall second; above 1 is fast-forward (SPEC PRAC-3). */
  setTimeScale(scale: number): void {
    this.state.timeScale = scale;
  }

  /** While paused: runs `deltaUs` of simulated time at once (as the host's step, SPEC HOST-5). */
  stepBy(deltaUs: number): void {
    this.engine.stepWhilePaused(Math.max(1, Math.round(deltaUs)));
  }

  /** One tick's worth of simulated time at the current speed. */
  get tickUs(): number {
    return Math.round((1_000_000 / TICK_HZ) * this.state.timeScale);
  }

  end(): void {
    const phase = this.state.phase;
    if (phase === 'running' || phase === 'paused') this.engine.end();
  }

  /**
   * A message from the player's panel, checked as the server checks it (`decide`: shape,
   * permission, phase) and queued for the next tick; null when queued, else why not.
   */
  send(type: string, payload: unknown): string | null {
    const decision = decide(
      { phase: this.state.phase as Phase, sender: { kind: 'player', seat: this.seat }, copyCount: 1 },
      type,
      payload,
    );
    if (!decision.ok) return decision.message;
    if (decision.action.kind !== 'command') return null; // sync requests: this page is the authority
    return this.copy.enqueue({
      cmd: decision.action.cmd,
      senderSessionId: PRACTICE_PLAYER_ID,
      request: type,
    });
  }

  /** The team score so far (what the stars are given for, SPEC PRAC-4). */
  get teamScore(): number {
    return this.copy.scoreboard.network;
  }

  /** Stars earned by the team score so far, 0–3; null when the lesson declares no grade. */
  stars(): number | null {
    const t = this.setup.scenario.file.stars;
    return t ? starsFor(this.teamScore, t.teamScore) : null;
  }

  /**
   * The attempt's replay (SPEC PRAC-5): the class rounds' replay file (SPEC DEBRIEF-5), so
   * `pnpm replay` checks it the same way, with the seat, the bots' skill and the stars.
   */
  replay(): ReplayFile {
    const st = this.state;
    const team = st.copies.at(0);
    return {
      format: REPLAY_FORMAT,
      version: REPLAY_VERSION,
      scenarioId: this.setup.scenarioId,
      lesson: st.lesson,
      title: st.title,
      code: st.code,
      seed: this.setup.seed,
      options: { durationUs: st.durationUs, simTimeUs: st.simTimeUs },
      copies: [
        {
          copy: 0,
          log: this.copy.log.map((e) => ({
            tick: e.tick,
            atUs: e.atUs,
            commands: JSON.parse(e.commands) as unknown[],
          })),
        },
      ],
      results: {
        teams: [
          {
            copy: 0,
            score: team?.score ?? 0,
            completed: team?.completed ?? 0,
            failed: team?.failed ?? 0,
          },
        ],
      },
      practice: {
        node: this.seat.node,
        role: this.seat.role,
        botSkill: this.setup.botSkill,
        stars: this.stars() ?? 0,
      },
    };
  }

  /** The ended round as the debrief reads it (the shape a class round's is served in, SPEC DEBRIEF-2). */
  debrief(): RoundResults | null {
    if (!this.results) return null;
    const st = this.state;
    const meta = {
      code: st.code,
      hostKeyHash: null,
      lessonId: this.setup.scenarioId,
      seed: this.setup.seed,
      hostToken: '',
      startedAtMs: null,
    };
    const round = finishedRound(meta, st, this.results, this.endedAtMs, [this.copy], null);
    return roundResults({ ...round, id: 0 }, this.setup.scenario.file.debrief);
  }

  // RoundHost: nobody is connected; the page reads the state and the simulation directly.
  sendTo(): void {}
  sendToEach(): void {}
  sendError(): void {}
  watchedCopy(): number {
    return 0;
  }
  stepped(step: CopyStep): void {
    for (const r of step.rejected) this.onRefused({ request: r.request, error: r.error });
  }
  roundEnded(results: readonly RankedResult[]): void {
    this.results = [...results];
    this.endedAtMs = Date.now();
  }
}

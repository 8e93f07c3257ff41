import type { Client } from '@colyseus/core';
import {
  type CopyState,
  type ErrorCode,
  isHashTick,
  ResultRow,
  type RoomState,
  type ServerMessages,
  TICK_HZ,
} from '@roundtrip/protocol';
import { awaitingPlayer, type Scenario, type ScoreParts } from '@roundtrip/sim';
import { type CopyStep, SimCopy } from './copies.ts';
import { newCopyState, pushSparklines } from './figures.ts';
import { IdleWatch } from './idleCover.ts';
import { type LossBurst, LossBursts } from './lossBursts.ts';
import type { SavedSparklines } from './persistence.ts';
import { type PlayerLedger, PlayerScores } from './playerScores.ts';
import { type PlayerResult, type RankedResult, rankResults } from './results.ts';
import { copiesNeeded } from './seats.ts';
import { TickBatches } from './tickBatches.ts';

/** Live figures refresh every this many ticks (about 250 ms of wall time). */
const FIGURES_EVERY_TICKS = Math.round(TICK_HZ / 4);
/** Sparklines get a point every this many ticks (about one second of wall time). */
const SPARKLINE_EVERY_TICKS = TICK_HZ;

/** What the engine needs from its room. */
export interface RoundHost {
  readonly state: RoomState;
  readonly clients: readonly Client[];
  sendTo<K extends keyof ServerMessages>(client: Client, type: K, message: ServerMessages[K]): void;
  /** Sends one message to several clients, encoded once. */
  sendToEach<K extends keyof ServerMessages>(
    clients: readonly Client[],
    type: K,
    message: ServerMessages[K],
  ): void;
  sendError(client: Client, code: ErrorCode, message: string, request: string): void;
  /** The copy whose ticks a client receives. */
  watchedCopy(client: Client): number;
  /** A copy ran one tick (the room logs its applied commands, SPEC PERSIST-3). */
  stepped(step: CopyStep): void;
  /** The round ended with these results; called before any client can learn it (SPEC PERSIST-1). */
  roundEnded(results: readonly RankedResult[]): void;
  /** The schema of a copy's figures: a competition's hides them from other teams (SPEC COMP-4). */
  readonly copySchema: typeof CopyState;
  /** Copies the round has at least: a competition's teams (SPEC COMP-1), else 1. */
  readonly copiesAtStart: number;
}

/**
 * Runs a round: the copies, the fixed tick that advances them and streams
 * their commands (SPEC SYNC-1, SYNC-3, SYNC-4), the live figures and the end.
 */
export class RoundEngine {
  copies: SimCopy[] = [];
  private readonly host: RoundHost;
  /** Players who left mid-round, with the score they had then (for the results). */
  private readonly departed: PlayerResult[] = [];
  /** Each seated player's own score, by session id (SPEC SCORE-7). */
  readonly scores = new PlayerScores();
  /** When each seated player last acted, for covering idle seats (SPEC COVER-1). */
  private readonly idle = new IdleWatch();
  /** Browser ids of players who joined in the lobby, until the round starts and opens their accounts. */
  private readonly lobbyDevices = new Map<string, string>();
  private stepCount = 0;
  /** The host's loss bursts under way (SPEC HOST-6). */
  bursts = new LossBursts();
  /** Ticks run and not yet sent (SPEC SYNC-3). */
  private readonly batches = new TickBatches();

  /** Whether idle seats get a covering bot (SPEC COVER-1): a class room's teammates need it; practice alone does not (PRAC-9). */
  private readonly coverIdle: boolean;

  constructor(host: RoundHost, opts: { coverIdle?: boolean } = {}) {
    this.host = host;
    this.coverIdle = opts.coverIdle ?? true;
  }

  /**
   * A copy opened mid-round for a late joiner (SPEC HOST-10): the same scenario and
   * seed as the others, bots in every seat, run up to the round's simulated time so
   * that it keeps the same clock. Returns its index.
   */
  openCopy(scenario: Scenario, seed: number): number {
    const copy = new SimCopy(this.copies.length, scenario, seed);
    this.copies.push(copy);
    this.host.state.copies.push(newCopyState(copy.index, copy.sim, this.host.copySchema));
    for (const { node } of scenario.seats) this.handToBot(copy.index, node);
    this.host.stepped(copy.step(0));
    copy.step(this.host.state.simTimeUs);
    return copy.index;
  }

  /**
   * Sets `link` of `copy` losing `loss` for `seconds` of simulated time (SPEC HOST-6);
   * null when queued, else why not.
   */
  lossBurst(copyIndex: number, link: string, loss: number, seconds: number): string | null {
    const copy = this.copies[copyIndex];
    if (!copy) return `there is no team ${copyIndex + 1}`;
    const at = copy.sim.sc.linkIndex.get(link);
    const model = at === undefined ? undefined : copy.sim.st.links[at]?.lossModel;
    if (!model) return `there is no link "${link}" in this lesson`;
    if (model.kind !== 'bernoulli')
      return `${link} already loses packets in a pattern of its own; pick another link`;
    const queued = copy.enqueue({
      cmd: { type: 'link.loss', link, loss },
      senderSessionId: null,
      request: 'host.lossBurst',
    });
    if (queued !== null) return queued;
    this.bursts.start(copyIndex, link, copy.sim.nowUs + seconds * 1_000_000, model.p);
    return null;
  }

  /**
   * While paused, runs every copy `deltaUs` of simulated time in one tick (SPEC HOST-5),
   * never past the round's end (which then ends it).
   */
  stepWhilePaused(deltaUs: number): void {
    const state = this.host.state;
    if (state.phase !== 'paused') return;
    this.run(Math.min(Math.max(0, state.durationUs - state.simTimeUs), deltaUs), true);
    this.refreshFigures();
    if (state.simTimeUs >= state.durationUs) this.end();
  }

  /**
   * Starts the round: one copy per group of seats in use (at least one), a bot
   * for every seat without a player (through the tick stream, so replicas get
   * it too), then a snapshot to every client.
   */
  start(scenario: Scenario, seed: number): void {
    const state = this.host.state;
    const held = [...state.players.values()].map((p) => ({ copy: p.copy, node: p.node }));
    state.players.forEach((p, id) => {
      this.scores.seat(id, p.copy, p.node, {}, {}, this.lobbyDevices.get(id));
      this.idle.acted(id, 0);
    });
    this.lobbyDevices.clear();
    this.batches.clear();
    const count = Math.max(copiesNeeded(held), this.host.copiesAtStart);
    this.copies = Array.from({ length: count }, (_, i) => new SimCopy(i, scenario, seed));
    for (const copy of this.copies) {
      state.copies.push(newCopyState(copy.index, copy.sim, this.host.copySchema));
      for (const { node } of scenario.seats) {
        if (!held.some((s) => s.copy === copy.index && s.node === node)) this.handToBot(copy.index, node);
      }
    }
    // Players who asked for their seat's bot in the lobby (SPEC BOTS-2).
    state.players.forEach((p) => {
      if (p.autopilot) this.autopilot(p.copy, p.node, p.autopilot);
    });
    state.phase = 'running';
    state.debrief = ''; // a previous round's debrief, if the room plays again
    for (const client of this.host.clients) this.sendSnapshot(client);
  }

  /**
   * Carries on a round saved before a restart (SPEC PERSIST-4): its restored copies,
   * the players who had left, and the sparklines; figures are refreshed from the copies.
   */
  restore(
    copies: SimCopy[],
    departed: readonly PlayerResult[],
    sparklines: readonly SavedSparklines[],
    ledgers: Record<string, PlayerLedger> = {},
  ): void {
    const state = this.host.state;
    this.batches.clear();
    this.copies = copies;
    this.departed.push(...departed.map((d) => ({ ...d, parts: d.parts ?? {} })));
    this.scores.load(ledgers);
    for (const copy of copies) {
      const out = newCopyState(copy.index, copy.sim, this.host.copySchema);
      const saved = sparklines[copy.index];
      if (saved) {
        out.udpP95History.push(...saved.udpP95History);
        out.tcpP95History.push(...saved.tcpP95History);
        out.scoreHistory.push(...saved.scoreHistory);
      }
      state.copies.push(out);
    }
    state.simTimeUs = copies[0]?.sim.nowUs ?? 0;
    this.refreshFigures();
  }

  /** Players who left mid-round, as their results lines will show them. */
  get departedResults(): readonly PlayerResult[] {
    return this.departed;
  }

  /** Sends `client` a snapshot of the copy it watches, if the round has begun. */
  sendSnapshot(client: Client): void {
    const copy = this.copies[this.host.watchedCopy(client)];
    if (copy) this.host.sendTo(client, 'sync.snapshot', copy.snapshot());
  }

  /**
   * A player left mid-round: their line in the results keeps the score they had,
   * and the seat goes back to its bot (SPEC ROOM-6, ROOM-7).
   */
  playerLeft(
    id: string,
    player: { nickname: string; copy: number; node: string; role: string; score: number },
  ): void {
    // Copied field by field: the player is a schema instance, whose fields a spread would miss.
    const { nickname, copy, node, role } = player;
    const parts = this.scores.parts(id, this.nodeParts) ?? {};
    const device = this.scores.device(id);
    this.scores.forget(id);
    this.idle.forget(id);
    const row: PlayerResult = {
      nickname,
      copy,
      node,
      role,
      score: player.score,
      parts,
      teamScore: 0,
      left: true,
    };
    if (device !== undefined) row.device = device;
    this.departed.push(row);
    this.handToBot(copy, node);
  }

  /**
   * A player took a seat. Mid-round their score counts from now, not the seat's bot's;
   * someone who left this round from the same browser (`device`) comes back as the same
   * player, with what they had made, and their old line leaves the results (SPEC SCORE-7).
   */
  playerSeated(id: string, copy: number, node: string, device: string | undefined): void {
    const phase = this.host.state.phase;
    if (phase !== 'running' && phase !== 'paused') {
      if (device !== undefined) this.lobbyDevices.set(id, device);
      return;
    }
    const back = device === undefined ? -1 : this.departed.findIndex((d) => d.device === device);
    const carried = back < 0 ? {} : (this.departed.splice(back, 1)[0]?.parts ?? {});
    this.scores.seat(id, copy, node, this.nodeParts(copy, node), carried, device);
    this.idle.acted(id, this.copies[copy]?.sim.nowUs ?? 0);
  }

  /**
   * A seated player sent a command for their node: they are not idle (SPEC COVER-1), and
   * if a bot was covering for them the seat is theirs again from the next tick, before
   * their command applies, and they count from now (SPEC COVER-2).
   */
  playerActed(id: string): void {
    const p = this.host.state.players.get(id);
    const copy = p && this.copies[p.copy];
    if (!p || !copy) return;
    this.idle.acted(id, copy.sim.nowUs);
    if (!this.scores.covered(id)) return;
    this.scores.uncover(id, this.nodeParts(p.copy, p.node));
    p.covered = false;
    this.takeFromBot(p.copy, p.node);
  }

  /**
   * The host moved a player mid-round (SPEC HOST-4): what they made so far goes with them
   * and they count from their new seat's breakdown now (SCORE-7). A seat a bot was playing
   * (`botPlayed`: free, covered, or autopiloted) is taken from it, or given the player's own
   * autopilot (BOTS-2). Call it for both players of a swap before either's seat changes.
   */
  playerMoved(id: string, to: { copy: number; node: string }, botPlayed: boolean): void {
    const p = this.host.state.players.get(id);
    const carried = this.scores.parts(id, this.nodeParts);
    if (!p || carried === null) return;
    this.scores.seat(id, to.copy, to.node, this.nodeParts(to.copy, to.node), carried, this.scores.device(id));
    this.idle.acted(id, this.copies[to.copy]?.sim.nowUs ?? 0);
    p.covered = false;
    if (p.autopilot) this.autopilot(to.copy, to.node, p.autopilot);
    else if (botPlayed) this.takeFromBot(to.copy, to.node);
  }

  /** The host removed a player mid-round (SPEC HOST-2): their account closes; they are left out of the results. */
  playerRemoved(id: string): void {
    this.scores.forget(id);
    this.idle.forget(id);
  }

  /**
   * Seats whose player has left work waiting at their node untouched for COVER_IDLE_S go
   * to their bot at the room's skill (SPEC COVER-1); the player's account stops there (COVER-2).
   */
  private coverIdleSeats(): void {
    this.host.state.players.forEach((p, id) => {
      const copy = this.copies[p.copy];
      // A player whose seat's bot plays for them (SPEC BOTS-2) is never idle.
      if (!copy || p.autopilot || this.scores.covered(id)) return;
      if (!this.idle.idleTooLong(id, copy.sim.nowUs, awaitingPlayer(copy.sim, p.node))) return;
      if (!this.scores.cover(id, this.nodeParts(p.copy, p.node))) return;
      p.covered = true;
      this.handToBot(p.copy, p.node);
    });
  }

  /** A player left the lobby: nothing to keep. */
  lobbyLeft(id: string): void {
    this.lobbyDevices.delete(id);
  }

  /** A node's breakdown in its copy (empty before the round or for an unknown node). */
  private readonly nodeParts = (copy: number, node: string): ScoreParts =>
    this.copies[copy]?.scoreboard.nodeParts(node) ?? {};

  /** How the team of copy `copy` made its score (SPEC SCORE-7). */
  teamParts(copy: number): ScoreParts {
    return this.copies[copy]?.scoreboard.networkParts ?? {};
  }

  /**
   * The seat at `node` of copy `copy` has no player: its bot takes over at the next tick,
   * at the room's bot skill when one was chosen (SPEC CMD-2, BOT-1, ROOM-12).
   */
  handToBot(copy: number, node: string): void {
    const skill = this.host.state.botSkill;
    this.copies[copy]?.enqueue({
      cmd: skill ? { type: 'seat.bot', node, skill } : { type: 'seat.bot', node },
      senderSessionId: null,
      request: 'seat.bot',
    });
  }

  /**
   * A seated player hands their seat to its bot at `skill`, or takes it back with null
   * (SPEC BOTS-2). The seat stays theirs, and so do its points. The simulation checks
   * the skill against the seat's role; a refusal goes back to `senderSessionId`.
   */
  autopilot(copy: number, node: string, skill: string | null, senderSessionId: string | null = null): void {
    this.copies[copy]?.enqueue({
      cmd: skill === null ? { type: 'seat.player', node } : { type: 'seat.bot', node, skill },
      senderSessionId,
      request: 'player.autopilot',
    });
  }

  /** A player joined mid-round into a bot's seat: the bot stops at the next tick (SPEC BOT-3). */
  takeFromBot(copy: number, node: string): void {
    this.copies[copy]?.enqueue({
      cmd: { type: 'seat.player', node },
      senderSessionId: null,
      request: 'seat.player',
    });
  }

  /**
   * One fixed tick of `dtMs` wall time. Running: every copy applies its queued
   * commands and advances by dtMs × timeScale (never past the round's end).
   * Paused: copies with queued commands apply them without advancing.
   */
  step(dtMs: number): void {
    const state = this.host.state;
    const running = state.phase === 'running';
    if (!running && state.phase !== 'paused') return;
    const remainingUs = Math.max(0, state.durationUs - state.simTimeUs);
    const deltaUs = running ? Math.min(remainingUs, Math.round(dtMs * 1000 * state.timeScale)) : 0;
    this.run(deltaUs, running);
    this.stepCount++;
    const sampling = this.stepCount % FIGURES_EVERY_TICKS === 0;
    // Idle seats are looked at on the figures' ticks (4× a second), not every tick: every player's ledger
    // and idleness each tick was ~4 % of a room's tick (PERFORMANCE.md issue 16); a cover comes ≤ 250 ms later.
    if (running && this.coverIdle && sampling) this.coverIdleSeats();
    // Copies sample their figures on different ticks (staggered by index, as their hashes): a tick that
    // sampled all 8 of a lesson-2 room's took twice as long as the others and set the room's tick p99.
    for (const copy of this.copies)
      if ((this.stepCount + copy.index) % FIGURES_EVERY_TICKS === 0) this.sampleCopy(copy);
    if (sampling) this.refreshPlayers();
    if (running && this.stepCount % SPARKLINE_EVERY_TICKS === 0)
      for (const c of state.copies) pushSparklines(c);
    if (running && state.simTimeUs >= state.durationUs) this.end();
  }

  /**
   * Pauses the round (SPEC ROOM-4) with figures that include every tick run so
   * far, so the pause and the final scores reach clients in one patch.
   */
  pause(): void {
    this.refreshFigures();
    this.host.state.phase = 'paused';
  }

  /** Ends the round: final figures, phase 'ended', the results table (SPEC ROOM-6). */
  end(): void {
    const state = this.host.state;
    // Ticks run since the last batch leave before the `ended` patch can (SPEC SYNC-3): the room's batch tick
    // may never come (a failed room stops ticking; a new round drops what is pending).
    this.sendTicks();
    this.refreshFigures();
    for (const copy of this.copies) {
      copy.clearQueue();
      const out = state.copies[copy.index];
      if (out) out.breakdown = JSON.stringify(copy.scoreboard.networkParts);
    }
    state.phase = 'ended';
    const stayed = [...state.players.entries()].map(([id, p]) => ({
      nickname: p.nickname,
      copy: p.copy,
      node: p.node,
      role: p.role,
      score: p.score,
      parts: this.scores.parts(id, this.nodeParts) ?? {},
      left: false,
    }));
    const ranked = rankResults(
      [...stayed, ...this.departed].map((p) => ({ ...p, teamScore: state.copies[p.copy]?.score ?? 0 })),
    );
    for (const r of ranked) {
      const row = new ResultRow();
      row.rank = r.rank;
      row.nickname = r.nickname;
      row.copy = r.copy;
      row.node = r.node;
      row.role = r.role;
      row.score = r.score;
      row.teamScore = r.teamScore;
      row.left = r.left;
      row.breakdown = JSON.stringify(r.parts);
      state.results.push(row);
    }
    this.host.roundEnded(ranked);
  }

  /**
   * One tick of every copy by `deltaUs` (only copies with queued commands when not
   * `all`): bursts whose time is up give their links back their loss first.
   */
  private run(deltaUs: number, all: boolean): void {
    for (const copy of this.copies) {
      for (const b of this.bursts.due(copy.index, copy.sim.nowUs)) this.endBurst(copy, b);
      if (!all && copy.queuedCount === 0) continue;
      const stepped = copy.step(deltaUs);
      this.host.stepped(stepped);
      this.publish(copy, stepped);
    }
    this.host.state.simTimeUs = this.copies[0]?.sim.nowUs ?? 0;
  }

  private endBurst(copy: SimCopy, b: LossBurst): void {
    copy.enqueue({
      cmd: { type: 'link.loss', link: b.link, loss: b.restoreLoss },
      senderSessionId: null,
      request: 'host.lossBurst',
    });
  }

  private publish(copy: SimCopy, step: CopyStep): void {
    // With nobody connected (practice in the page, or everyone away) nothing is sent: a reconnect gets a snapshot.
    if (this.host.clients.length > 0) this.batches.add(step.tick);
    // Copies hash on different seconds (staggered by index): each of the room's saves carries one (PERSIST-3).
    if (isHashTick(step.tick.tick, copy.index) && this.watched(copy.index)) this.batches.hashed(copy.hash());
    for (const r of step.rejected) {
      const sender = this.host.clients.find((c) => c.sessionId === r.senderSessionId);
      if (sender) this.host.sendError(sender, 'rejected', r.error, r.request);
    }
  }

  /**
   * Sends each copy's ticks run since the last batch to the clients watching it, encoded
   * once per copy (SPEC SYNC-3): the room calls it every TICKS_PER_BATCH ticks, with the patch.
   */
  sendTicks(): void {
    const watchers = this.watchersByCopy();
    this.batches.flush((batch) => this.host.sendToEach(watchers.get(batch.copy) ?? [], 'sync.ticks', batch));
  }

  private watched(copy: number): boolean {
    return this.host.clients.some((c) => this.host.watchedCopy(c) === copy);
  }

  private watchersByCopy(): Map<number, Client[]> {
    const byCopy = new Map<number, Client[]>();
    for (const client of this.host.clients) {
      const copy = this.host.watchedCopy(client);
      const list = byCopy.get(copy);
      if (list) list.push(client);
      else byCopy.set(copy, [client]);
    }
    return byCopy;
  }

  /** Copies scores and figures from the simulations into the room state (SPEC SCORE-6). */
  private refreshFigures(): void {
    for (const copy of this.copies) this.sampleCopy(copy);
    this.refreshPlayers();
  }

  /** One copy's figures and team score into the room state. */
  private sampleCopy(copy: SimCopy): void {
    const out = this.host.state.copies[copy.index];
    if (!out) return;
    copy.figures.sample(copy.sim, copy.metrics, out);
    out.score = copy.scoreboard.network;
  }

  /** Every player's score and whether a bot covers them. */
  private refreshPlayers(): void {
    this.host.state.players.forEach((p, id) => {
      p.score = this.scores.score(id, this.nodeParts);
      p.covered = this.scores.covered(id);
    });
  }
}

import { HOST_KEY_HEADER, type RoundResults } from '@roundtrip/protocol';
import { conceptFor, type DebriefText } from '@roundtrip/sim';
import type { Request, Response, Router } from 'express';
import express from 'express';
import { hostKeyHash } from './hostToken.ts';
import { serverStore } from './persistence.ts';
import { replayOf } from './replay.ts';
import { roundResults } from './results.ts';
import { lessonScenario } from './scenarios.ts';
import type { FinishedRound } from './store.ts';

/** Rounds `GET /api/history` lists at most, newest first. */
export const HISTORY_LIST_MAX = 200;

/** `:ref` of a round: its id, then what is asked for (JSON when nothing). */
const REF = /^(\d{1,15})(\.csv|\.replay\.json)?$/;

/**
 * A host's past rounds (SPEC PERSIST-2): `GET /api/history`, `GET /api/history/:id`,
 * `GET /api/history/:id.csv` and `GET /api/history/:id.replay.json`. A host proves who
 * they are with the history key their browser keeps and sent when creating each room;
 * without it nothing is listed. A round's own players reach the same three under
 * `GET /api/rounds/:id/:key…` with the round's share key (SPEC DEBRIEF-6).
 */
export function historyRoutes(): Router {
  const router = express.Router();
  router.get('/api/history', (req, res) => {
    const key = hostKeyOf(req, res);
    if (key === null) return;
    res.json(serverStore().rounds(key, HISTORY_LIST_MAX));
  });
  router.get('/api/history/:ref', (req, res) => {
    const key = hostKeyOf(req, res);
    if (key === null) return;
    const ref = REF.exec(String(req.params.ref));
    const round = ref ? serverStore().round(Number(ref[1]), key) : null;
    if (!ref || !round) {
      res.status(404).json({ error: `no round ${req.params.ref} among this host's rounds` });
      return;
    }
    sendRound(res, round, ref[2]);
  });
  router.get('/api/rounds/:id/:ref', (req, res) => {
    const id = /^\d{1,15}$/.test(String(req.params.id)) ? Number(req.params.id) : null;
    const ref = /^([\w-]{16,64})(\.csv|\.replay\.json)?$/.exec(String(req.params.ref));
    const round = id !== null && ref ? serverStore().sharedRound(id, ref[1] as string) : null;
    if (!ref || !round) {
      res.status(404).json({ error: 'no such round, or the link is not this round’s' });
      return;
    }
    sendRound(res, round, ref[2]);
  });
  return router;
}

/** A round as JSON (with its debrief), CSV or its replay file. */
function sendRound(res: Response, round: FinishedRound & { id: number }, as: string | undefined): void {
  const day = new Date(round.endedAtMs).toISOString().slice(0, 10);
  if (as === '.csv') {
    res
      .type('text/csv; charset=utf-8')
      .attachment(`roundtrip-${round.code}-${day}.csv`)
      .send(resultsCsv(round));
  } else if (as === '.replay.json') {
    res.attachment(`roundtrip-${round.code}-${day}.replay.json`).json(replayOf(round));
  } else res.json(debriefOf(round));
}

/** The hash of the request's host key, or null after answering 401. */
function hostKeyOf(req: Request, res: Response): string | null {
  const key = req.get(HOST_KEY_HEADER);
  if (!key || key.length < 16 || key.length > 64) {
    res.status(401).json({ error: `send your host key in the ${HOST_KEY_HEADER} header to see your rounds` });
    return null;
  }
  return hostKeyHash(key);
}

/** The lesson's own debrief words, if its scenario is still here. */
function lessonDebrief(scenarioId: string): DebriefText | undefined {
  try {
    return lessonScenario(scenarioId).scenario.file.debrief;
  } catch {
    return undefined;
  }
}

/** A finished round as its readers get it (SPEC DEBRIEF-2), with its lesson's debrief words. */
export function debriefOf(round: FinishedRound & { id: number }): RoundResults {
  return roundResults(round, lessonDebrief(round.scenarioId));
}

/**
 * A finished round as CSV (RFC 4180, CRLF): a block for players, one for teams and
 * one for failures (where and what: unit, reason, place, role, and the concept), each
 * with its header row, separated by an empty line (SPEC PERSIST-2, DEBRIEF-4).
 */
export function resultsCsv(round: FinishedRound): string {
  const debrief = lessonDebrief(round.scenarioId);
  const rows: unknown[][] = [
    ['rank', 'nickname', 'team', 'node', 'role', 'score', 'team score', 'left early'],
    ...round.players.map((p) => [
      p.rank,
      p.nickname,
      p.copy + 1,
      p.node,
      p.role,
      p.score,
      p.teamScore,
      p.left ? 'yes' : 'no',
    ]),
    [],
    // A competition's team names and ranking (SPEC COMP-6); '' and 0 in older rounds.
    ['team', 'score', 'completed', 'failed', 'name', 'rank'],
    ...round.teams.map((t) => [t.copy + 1, t.score, t.completed, t.failed, t.name, t.rank]),
    [],
    ['team', 'failure', 'count', 'unit', 'place', 'place id', 'role', 'concept'],
    ...round.failures.map((f) => [
      f.copy + 1,
      f.reason,
      f.count,
      f.unit,
      f.placeLabel,
      f.place,
      f.role,
      conceptFor(f.reason, debrief),
    ]),
  ];
  return `${rows.map((r) => r.map(csvField).join(',')).join('\r\n')}\r\n`;
}

/** One field: quoted when needed; text a spreadsheet would run as a formula gets a leading apostrophe. */
function csvField(value: unknown): string {
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

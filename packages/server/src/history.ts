import { HOST_KEY_HEADER } from '@roundtrip/protocol';
import type { Request, Response, Router } from 'express';
import express from 'express';
import { hostKeyHash } from './hostToken.ts';
import { serverStore } from './persistence.ts';
import type { FinishedRound } from './store.ts';

/** Rounds `GET /api/history` lists at most, newest first. */
export const HISTORY_LIST_MAX = 200;

/**
 * A host's past rounds (SPEC PERSIST-2): `GET /api/history`, `GET /api/history/:id`
 * and `GET /api/history/:id.csv`. A host proves who they are with the history key
 * their browser keeps and sent when creating each room; without it nothing is listed.
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
    const ref = /^(\d{1,15})(\.csv)?$/.exec(String(req.params.ref));
    const round = ref ? serverStore().round(Number(ref[1]), key) : null;
    if (!ref || !round) {
      res.status(404).json({ error: `no round ${req.params.ref} among this host's rounds` });
      return;
    }
    if (!ref[2]) return void res.json(round);
    res
      .type('text/csv; charset=utf-8')
      .attachment(`roundtrip-${round.code}-${new Date(round.endedAtMs).toISOString().slice(0, 10)}.csv`)
      .send(resultsCsv(round));
  });
  return router;
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

/**
 * A finished round as CSV (RFC 4180, CRLF): a block for players, one for teams and
 * one for failures, each with its header row, separated by an empty line.
 */
export function resultsCsv(round: FinishedRound): string {
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
    ['team', 'score', 'completed', 'failed'],
    ...round.teams.map((t) => [t.copy + 1, t.score, t.completed, t.failed]),
    [],
    ['team', 'failure', 'count'],
    ...round.failures.map((f) => [f.copy + 1, f.reason, f.count]),
  ];
  return `${rows.map((r) => r.map(csvField).join(',')).join('\r\n')}\r\n`;
}

/** One field: quoted when needed; text a spreadsheet would run as a formula gets a leading apostrophe. */
function csvField(value: unknown): string {
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

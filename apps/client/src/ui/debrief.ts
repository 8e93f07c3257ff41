import type { RoundResults } from '@roundtrip/protocol';
import { DEBRIEF_CHARTS, teamChart } from './charts.ts';
import { type FailureLine, groupFailures, reasonText, unitsText } from './debriefGroups.ts';
import { h, setTeamNames, teamName } from './dom.ts';
import { breakdownText } from './resultsTable.ts';

/** How the debrief offers its files: links (a round's players) or buttons that fetch with a key (the host's history). */
export type Downloads =
  | { kind: 'links'; csvUrl: string; replayUrl: string }
  | { kind: 'fetch'; get: (what: 'csv' | 'replay') => Promise<void> }
  /** A practice attempt (SPEC PRAC-5): its replay file only; there is no class to tabulate. */
  | { kind: 'replay'; get: () => Promise<void> };

/**
 * The debrief of a finished round (SPEC DEBRIEF-1..4): the lesson's summary, a podium
 * and the team ranking, charts of latency, loss and score over the round, the failures
 * by reason, place and role with the concept behind each, and the CSV and replay.
 */
export function debriefView(
  round: RoundResults,
  opts: { myNickname?: string | undefined; downloads: Downloads },
): HTMLElement {
  const groups = groupFailures(round.failures);
  const concept = (reason: string) => round.concepts[reason] ?? '';
  // A competition's team names (SPEC COMP-6), also for a past round opened from the history.
  if (round.teams.some((t) => t.name !== ''))
    setTeamNames([...round.teams].sort((a, b) => a.copy - b.copy).map((t) => t.name));
  return h(
    'div',
    { class: 'debrief', testid: 'debrief' },
    round.summary
      ? h('p', { class: 'card debrief-summary', testid: 'debrief-summary' }, round.summary)
      : null,
    h('div', { class: 'debrief-top' }, podium(round, opts.myNickname), teamRanking(round)),
    h(
      'section',
      { class: 'debrief-charts', testid: 'debrief-charts' },
      ...DEBRIEF_CHARTS.map((spec) => teamChart(spec, round.series)),
    ),
    h(
      'section',
      { class: 'card', testid: 'debrief-failures' },
      h('h2', {}, 'What went wrong, and why'),
      round.failures.length === 0
        ? h('p', { class: 'muted' }, 'Nothing failed this round. Well routed!')
        : h(
            'div',
            {},
            h(
              'p',
              { class: 'muted' },
              'Counted in frames, requests, page loads and DNS lookups, not packets: one request can lose several packets before it fails.',
            ),
            h(
              'div',
              { class: 'failure-groups' },
              group('By reason', 'failures-by-reason', groups.byReason, (l) => concept(l.key), false),
              group(
                'By place',
                'failures-by-place',
                groups.byPlace,
                (l) => concept(l.reasons[0]?.reason ?? ''),
                true,
              ),
              group(
                'By role',
                'failures-by-role',
                groups.byRole,
                (l) => concept(l.reasons[0]?.reason ?? ''),
                true,
              ),
            ),
          ),
    ),
    downloads(opts.downloads),
  );
}

/** The top three players (SPEC DEBRIEF-4). */
function podium(round: RoundResults, me: string | undefined): HTMLElement {
  const top = [...round.players].sort((a, b) => a.rank - b.rank).slice(0, 3);
  return h(
    'section',
    { class: 'card podium', testid: 'podium' },
    h('h2', {}, 'Podium'),
    top.length === 0
      ? h('p', { class: 'muted' }, 'Nobody played this round.')
      : h(
          'ol',
          { class: 'podium-steps' },
          ...top.map((p) =>
            h(
              'li',
              { class: `podium-${p.rank}${p.nickname === me ? ' me' : ''}` },
              h('span', { class: 'podium-rank' }, `#${p.rank}`),
              h('span', { class: 'podium-name' }, p.nickname),
              h('span', { class: 'muted' }, `${teamName(p.copy)} · ${p.score} points`),
            ),
          ),
        ),
  );
}

/** Teams by score, with their counts and how each score was made (SPEC SCORE-7; old rounds have no breakdown). */
function teamRanking(round: RoundResults): HTMLElement {
  const teams = [...round.teams].sort((a, b) => b.score - a.score || a.copy - b.copy);
  return h(
    'section',
    { class: 'card', testid: 'team-ranking' },
    h('h2', {}, teams.length > 1 ? 'Team ranking' : 'Your team'),
    h(
      'ol',
      { class: 'team-ranking' },
      ...teams.map((t) =>
        h(
          'li',
          {},
          h('strong', {}, teamName(t.copy)),
          ` ${t.score} points · ${t.completed} delivered · ${t.failed} failed`,
          t.parts && breakdownText(t.parts)
            ? h(
                'div',
                { class: 'muted breakdown', testid: `team-ranking-breakdown-${t.copy}` },
                breakdownText(t.parts),
              )
            : null,
        ),
      ),
    ),
  );
}

function group(
  title: string,
  testid: string,
  lines: readonly FailureLine[],
  sentence: (l: FailureLine) => string,
  showReasons: boolean,
): HTMLElement {
  return h(
    'section',
    { class: 'failure-group', testid },
    h('h3', {}, title),
    h(
      'ul',
      { class: 'failure-lines' },
      ...lines.map((l) =>
        h(
          'li',
          {},
          h('div', {}, h('strong', {}, l.label), h('span', { class: 'muted' }, ` — ${unitsText(l.units)}`)),
          showReasons
            ? h(
                'div',
                { class: 'failure-reasons' },
                l.reasons.map((r) => `${reasonText(r.reason)} × ${r.count}`).join(' · '),
              )
            : null,
          h('p', { class: 'concept' }, sentence(l)),
        ),
      ),
    ),
  );
}

function downloads(d: Downloads): HTMLElement {
  const error = h('p', { class: 'form-error', role: 'alert' });
  const button = (what: 'csv' | 'replay', label: string, testid: string) => {
    if (d.kind === 'links')
      return h(
        'a',
        { class: 'button secondary', href: what === 'csv' ? d.csvUrl : d.replayUrl, download: '', testid },
        label,
      );
    const b = h('button', { class: 'secondary', testid }, label);
    b.addEventListener('click', () => {
      error.textContent = '';
      (d.kind === 'replay' ? d.get() : d.get(what)).catch((e: unknown) => {
        error.textContent = `Could not download: ${e instanceof Error ? e.message : String(e)}`;
      });
    });
    return b;
  };
  return h(
    'section',
    { class: 'debrief-downloads' },
    h(
      'div',
      { class: 'history-actions' },
      d.kind === 'replay' ? null : button('csv', 'Download CSV (players, teams, failures)', 'download-csv'),
      button('replay', 'Download replay', 'download-replay'),
    ),
    h(
      'p',
      { class: 'muted' },
      'The replay file holds the lesson, its seed and every command of the round, so the round can be played again exactly.',
    ),
    error,
  );
}

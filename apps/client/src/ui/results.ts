import { forgetRejoin, type Session } from '../net/connection.ts';
import { fetchSharedRound, sharedRoundUrl } from '../net/history.ts';
import { teamRanking } from './competition.ts';
import { debriefView } from './debrief.ts';
import { h, renderIfChanged, teamName } from './dom.ts';
import { nextRoundPanel } from './hostConsole.ts';
import { breakdownText, resultRow, resultsTable } from './resultsTable.ts';
import type { Screen } from './screen.ts';

/** End of round: the ranked table, then the debrief, fetched once the server has saved the round. */
export function resultsScreen(session: Session): Screen {
  const body = h('tbody', {});
  const teamScores = h('div', { class: 'team-scores' });
  const debrief = h(
    'div',
    { testid: 'debrief-slot' },
    h('p', { class: 'muted' }, 'Putting the debrief together…'),
  );
  const myId = session.room.sessionId;
  const again = h('button', { class: 'primary', testid: 'play-again' }, 'Back to start');
  again.addEventListener('click', () => {
    forgetRejoin(); // the round is over: a reload should not bring it back
    session.leave();
    location.assign(location.pathname);
  });
  // A competition's teams, ranked (SPEC COMP-6), above the players.
  const ranking = session.state.teams.length > 0 ? teamRanking(session) : null;
  const el = h(
    'main',
    { class: 'results' },
    h('h1', {}, `Results — ${session.replica.scenario.file.title}`),
    ranking?.el ?? null,
    resultsTable('results-table', body),
    teamScores,
    nextRoundPanel(session),
    debrief,
    again,
  );
  let fetched = '';
  const update = () => {
    const st = session.state;
    const me = st.players.get(myId);
    ranking?.update();
    const rows = st.results.map((r) => ({
      rank: r.rank,
      nickname: r.nickname,
      left: r.left,
      copy: r.copy,
      role: r.role,
      node: r.node,
      score: r.score,
      teamScore: r.teamScore,
      breakdown: r.breakdown,
    }));
    const labels = new Map(session.replica.scenario.file.nodes.map((n) => [n.id, n.label]));
    rows.sort((a, b) => a.rank - b.rank);
    renderIfChanged(body, JSON.stringify(rows), () =>
      rows.length === 0
        ? [h('tr', {}, h('td', { colspan: 6, class: 'muted' }, 'Adding up the scores…'))]
        : rows.map((r) => resultRow(r, me !== undefined && r.nickname === me.nickname, labels.get(r.node))),
    );
    const teams = st.copies
      .filter((c) => !me || c.index === me.copy)
      .map((c) => ({
        copy: c.index,
        completed: c.completed,
        failed: c.failed,
        how: breakdownText(c.breakdown),
      }));
    renderIfChanged(teamScores, JSON.stringify(teams), () =>
      teams.map((t) =>
        h(
          'section',
          { class: 'card', testid: `team-score-${t.copy}` },
          h('h2', {}, `${teamName(t.copy)}: ${t.completed} delivered, ${t.failed} failed`),
          // Counted per call frame and per web request; the map's badges count packets (SPEC MET-2).
          h(
            'p',
            { class: 'muted' },
            'Counted in call frames and web requests (one failed request may be several packets dropped on the map).',
          ),
          t.how
            ? h('p', { class: 'muted', testid: `team-breakdown-${t.copy}` }, `Team score: ${t.how}`)
            : null,
        ),
      ),
    );
    // The results and the debrief's address arrive in one patch; results without it mean saving failed.
    if (rows.length > 0 && st.debrief === '')
      renderIfChanged(debrief, 'unsaved', () => [
        h(
          'p',
          { class: 'card muted' },
          'The server could not save this round, so there is no debrief; the table above is its result.',
        ),
      ]);
    if (st.debrief === '' || st.debrief === fetched) return;
    const ref = st.debrief;
    fetched = ref;
    fetchSharedRound(ref).then(
      (round) =>
        debrief.replaceChildren(
          debriefView(round, {
            myNickname: me?.nickname,
            downloads: {
              kind: 'links',
              csvUrl: sharedRoundUrl(ref, '.csv'),
              replayUrl: sharedRoundUrl(ref, '.replay.json'),
            },
          }),
        ),
      (e: unknown) =>
        debrief.replaceChildren(
          h(
            'p',
            { class: 'form-error', role: 'alert' },
            `Could not load the debrief: ${e instanceof Error ? e.message : String(e)}.`,
          ),
        ),
    );
  };
  update();
  return { kind: 'results', el, update, destroy: () => {} };
}

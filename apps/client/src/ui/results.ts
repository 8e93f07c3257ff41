import { LOSS_REASON_TEXT, type LossReason } from '@roundtrip/sim';
import { forgetRejoin, type Session } from '../net/connection.ts';
import { h, renderIfChanged, teamName } from './dom.ts';
import { breakdownText, resultRow, resultsTable } from './resultsTable.ts';
import type { Screen } from './screen.ts';

/** End of round: the ranked table and each team's failures grouped by reason. */
export function resultsScreen(session: Session): Screen {
  const body = h('tbody', {});
  const failures = h('div', { class: 'failures' });
  const myId = session.room.sessionId;
  const again = h('button', { class: 'primary', testid: 'play-again' }, 'Back to start');
  again.addEventListener('click', () => {
    forgetRejoin(); // the round is over: a reload should not bring it back
    session.leave();
    location.assign(location.pathname);
  });
  const el = h(
    'main',
    { class: 'results' },
    h('h1', {}, `Results — ${session.replica.scenario.file.title}`),
    resultsTable('results-table', body),
    failures,
    again,
  );
  const update = () => {
    const st = session.state;
    const me = st.players.get(myId);
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
      .map((c) => {
        const reasons: [string, number][] = [];
        c.failures.forEach((n, reason) => {
          reasons.push([reason, n]);
        });
        reasons.sort((a, b) => b[1] - a[1]);
        return {
          copy: c.index,
          completed: c.completed,
          failed: c.failed,
          reasons,
          how: breakdownText(c.breakdown),
        };
      });
    renderIfChanged(failures, JSON.stringify(teams), () =>
      teams.map((t) =>
        h(
          'section',
          { class: 'card', testid: `failures-${t.copy}` },
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
          t.reasons.length === 0
            ? h('p', { class: 'muted' }, 'Nothing failed. Well routed!')
            : h(
                'ul',
                { class: 'reasons' },
                ...t.reasons.map(([reason, n]) =>
                  h(
                    'li',
                    {},
                    h('strong', {}, String(n)),
                    ` × ${LOSS_REASON_TEXT[reason as LossReason] ?? reason}`,
                  ),
                ),
              ),
        ),
      ),
    );
  };
  update();
  return { kind: 'results', el, update, destroy: () => {} };
}

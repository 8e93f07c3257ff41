/**
 * The team competition on the page (SPEC COMP-1, COMP-2, COMP-6): the host form's team
 * names, the lobby's team picker, and the final ranking of the teams.
 */
import { TEAM_NAME_MAX_CHARS, TEAMS_MAX, TEAMS_MIN } from '@roundtrip/protocol';
import type { GameSession } from '../net/gameSession.ts';
import { h, renderIfChanged, teamName } from './dom.ts';
import { ranked } from './leaderboard.ts';

/** Names the host form suggests: short, distinct, readable from the back of a room. */
const SUGGESTED = ['Owls', 'Foxes', 'Hawks', 'Otters', 'Wolves', 'Lynxes', 'Ravens', 'Bears'];

/**
 * The host form's "team competition" fields: a switch and one name per line. `teams()`
 * is undefined for a class round, else the names, or a sentence saying what to fix.
 */
export function competitionFields(): { el: HTMLElement; teams: () => string[] | string | undefined } {
  const on = h('input', { type: 'checkbox', id: 'host-competition', testid: 'host-competition' });
  const names = h('textarea', {
    id: 'host-teams',
    testid: 'host-teams',
    rows: 3,
    spellcheck: false,
    'aria-describedby': 'host-teams-hint',
  });
  names.value = SUGGESTED.slice(0, 2).join('\n');
  const details = h(
    'div',
    { class: 'competition-fields', hidden: true },
    h('label', { for: 'host-teams' }, 'Team names, one per line'),
    names,
    h(
      'p',
      { class: 'muted small', id: 'host-teams-hint' },
      `${TEAMS_MIN} to ${TEAMS_MAX} teams. Every team plays its own identical copy of the network; no team sees another's until the end.`,
    ),
  );
  on.addEventListener('change', () => {
    details.hidden = !on.checked;
  });
  const el = h(
    'div',
    { class: 'competition' },
    h('label', { class: 'toggle', for: 'host-competition' }, on, 'Team competition'),
    details,
  );
  const teams = (): string[] | string | undefined => {
    if (!on.checked) return undefined;
    const list = names.value
      .split('\n')
      .map((n) => n.trim())
      .filter((n) => n.length > 0);
    if (list.length < TEAMS_MIN || list.length > TEAMS_MAX)
      return `A competition has ${TEAMS_MIN} to ${TEAMS_MAX} teams, one name per line.`;
    if (list.some((n) => n.length > TEAM_NAME_MAX_CHARS))
      return `A team name has at most ${TEAM_NAME_MAX_CHARS} characters.`;
    if (new Set(list.map((n) => n.toLowerCase())).size !== list.length)
      return 'Two teams have the same name.';
    return list;
  };
  return { el, teams };
}

/** A competition's lobby, for a player: every team with its players, and a button to move to it. */
export function teamPicker(session: GameSession): { el: HTMLElement; update: () => void } {
  const list = h('ul', { class: 'team-picker', testid: 'team-picker' });
  const el = h(
    'section',
    { class: 'card', 'aria-label': 'Teams', testid: 'teams-card' },
    h('h2', {}, 'Pick your team'),
    list,
  );
  const update = () => {
    const st = session.state;
    const me = st.players.get(session.sessionId);
    const teams = [...st.teams].map((name, copy) => {
      const members: string[] = [];
      st.players.forEach((p) => {
        if (p.copy === copy) members.push(p.nickname);
      });
      return { name, copy, members, mine: me?.copy === copy, full: members.length >= st.seatsPerCopy };
    });
    renderIfChanged(list, JSON.stringify(teams), () =>
      teams.map((t) => {
        const join = h(
          'button',
          {
            type: 'button',
            class: 'secondary',
            testid: `team-join-${t.copy}`,
            disabled: t.mine || t.full,
          },
          t.mine ? 'Your team' : t.full ? 'Full' : 'Join',
        );
        join.addEventListener('click', () => session.send('player.team', { team: t.copy }, join));
        return h(
          'li',
          { class: t.mine ? 'mine' : '', testid: `team-${t.copy}` },
          h('strong', {}, t.name),
          h(
            'span',
            { class: 'muted team-members' },
            t.members.length > 0 ? t.members.join(', ') : 'nobody yet',
          ),
          join,
        );
      }),
    );
  };
  update();
  return { el, update };
}

/** The teams' final ranking (SPEC COMP-6): every team's score, best first; the viewer's own marked. */
export function teamRanking(session: GameSession): { el: HTMLElement; update: () => void } {
  const list = h('ol', { class: 'standings ranking', testid: 'competition-ranking' });
  const el = h(
    'section',
    { class: 'card', 'aria-label': 'Final ranking' },
    h('h2', {}, 'Final ranking'),
    list,
  );
  const update = () => {
    const st = session.state;
    const me = st.players.get(session.sessionId);
    const lines = ranked(
      [...st.copies].map((c) => ({ name: teamName(c.index), score: c.score, mine: me?.copy === c.index })),
    );
    renderIfChanged(list, JSON.stringify(lines), () =>
      lines.map((l) =>
        h(
          'li',
          { class: l.mine ? 'mine' : '' },
          h('span', { class: 'standing-rank' }, `${l.rank}.`),
          h('span', { class: 'standing-name' }, l.name),
          h('span', { class: 'standing-score num' }, String(l.score)),
        ),
      ),
    );
  };
  update();
  return { el, update };
}

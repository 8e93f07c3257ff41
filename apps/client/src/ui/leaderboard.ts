import type { GameSession } from '../net/gameSession.ts';
import { h, renderIfChanged, teamName } from './dom.ts';

/** A team's or a player's line on the leaderboard. */
export interface Standing {
  name: string;
  score: number;
  /** Shared by equal scores (1, 1, 3). */
  rank: number;
  mine: boolean;
}

/** Ranks lines by score, best first; equal scores share a rank and are ordered by name. */
export function ranked(lines: readonly { name: string; score: number; mine: boolean }[]): Standing[] {
  const sorted = [...lines].sort((a, b) => b.score - a.score || a.name.localeCompare(b.name));
  return sorted.map((l, i) => {
    const first = sorted.findIndex((o) => o.score === l.score);
    return { ...l, rank: (first < 0 ? i : first) + 1 };
  });
}

/** The room's live standings: teams, then players (best `playersShown`). */
export function standings(
  session: GameSession,
  playersShown: number,
): { teams: Standing[]; players: Standing[] } {
  const st = session.state;
  const me = st.players.get(session.sessionId);
  const teams = ranked(
    st.copies.map((c) => ({ name: teamName(c.index), score: c.score, mine: me?.copy === c.index })),
  );
  const people: { name: string; score: number; mine: boolean }[] = [];
  // In a competition a player sees their own team's players only: no other team's scores reach them (SPEC COMP-4).
  const ownTeamOnly = st.teams.length > 0 && me !== undefined;
  st.players.forEach((p, id) => {
    if (ownTeamOnly && p.copy !== me.copy) return;
    people.push({ name: p.nickname, score: p.score, mine: id === session.sessionId });
  });
  return { teams, players: ranked(people).slice(0, playersShown) };
}

/**
 * The live leaderboard (SPEC HOST-7): teams ranked by score (when there are several)
 * and the best players. Students see it unless the host hides it; `always` (the host's
 * console, the projector) shows it regardless.
 */
export function leaderboard(
  session: GameSession,
  options: { always: boolean; playersShown: number; testid: string },
): { el: HTMLElement; update: () => void } {
  const teamsList = h('ol', { class: 'standings', testid: `${options.testid}-teams` });
  const playersList = h('ol', { class: 'standings', testid: `${options.testid}-players` });
  const teamsHead = h('h3', {}, 'Teams');
  const playersHead = h('h3', {}, 'Players');
  const hiddenNote = h(
    'p',
    { class: 'muted', testid: `${options.testid}-hidden` },
    'The host has hidden the leaderboard.',
  );
  const el = h(
    'section',
    { class: 'card leaderboard', 'aria-label': 'Leaderboard', testid: options.testid },
    h('h2', {}, 'Leaderboard'),
    hiddenNote,
    teamsHead,
    teamsList,
    playersHead,
    playersList,
  );
  const line = (s: Standing) =>
    h(
      'li',
      { class: s.mine ? 'mine' : '' },
      h('span', { class: 'standing-rank' }, `${s.rank}.`),
      h('span', { class: 'standing-name' }, s.name),
      h('span', { class: 'standing-score num' }, String(s.score)),
    );
  const update = () => {
    const hidden = !options.always && session.state.leaderboardHidden;
    el.classList.toggle('is-hidden', hidden);
    hiddenNote.hidden = !hidden;
    for (const c of el.children)
      if (c !== hiddenNote && c.tagName !== 'H2') (c as HTMLElement).hidden = hidden;
    if (hidden) return;
    const { teams, players } = standings(session, options.playersShown);
    teamsHead.hidden = teamsList.hidden = teams.length < 2;
    const ownTeam = session.state.teams.length > 0 && session.state.players.has(session.sessionId);
    playersHead.textContent = ownTeam ? 'Your team' : 'Players';
    renderIfChanged(teamsList, JSON.stringify(teams), () => teams.map(line));
    renderIfChanged(playersList, JSON.stringify(players), () => players.map(line));
  };
  update();
  return { el, update };
}

import type { Session } from '../net/connection.ts';
import { h, renderIfChanged, teamName } from './dom.ts';
import {
  dcOutageControl,
  hostTools,
  lossBurstControl,
  playerManager,
  stepControls,
  trafficSpikeControl,
} from './hostConsole.ts';
import { latencyText, percent } from './hud.ts';
import { SPEEDS, speedLabel } from './landing.ts';
import { sparkline } from './sparkline.ts';

export interface HostPanel {
  el: HTMLElement;
  update(): void;
  /** The link picked for fail/restore (also picked by clicking a link on the map). */
  selectedLink(): string;
  selectLink(id: string): void;
}

const ALL_TEAMS = 'all';

/**
 * Host controls during a round: pause/resume/end and step, room tools, speed, faults
 * (fail/restore a link, loss bursts, traffic spikes, data-centre outages), every team's figures, and the players to manage.
 */
export function hostPanel(session: Session): HostPanel {
  const sc = session.replica.scenario;
  const pause = h('button', { class: 'secondary', testid: 'host-pause' }, 'Pause');
  pause.addEventListener('click', () => {
    if (session.state.phase === 'paused') session.send('host.resume', {}, pause);
    else session.send('host.pause', {}, pause);
  });
  const end = h('button', { class: 'danger', testid: 'host-end' }, 'End round');
  let armedUntil = 0;
  end.addEventListener('click', () => {
    if (performance.now() < armedUntil) {
      session.send('host.end', {}, end);
      armedUntil = 0;
    } else armedUntil = performance.now() + 4_000;
    update();
  });

  const speed = h('select', { id: 'host-round-speed', testid: 'host-round-speed' });
  speed.addEventListener('change', () =>
    session.send('host.timeScale', { scale: Number(speed.value) }, speed),
  );

  const team = h('select', { id: 'host-link-team', testid: 'host-link-team' });
  const link = h(
    'select',
    { id: 'host-link', testid: 'host-link' },
    ...sc.file.links.map((l) => h('option', { value: l.id }, `${l.id} (${l.a} – ${l.b})`)),
  );
  const linkButton = h('button', { class: 'secondary', testid: 'host-link-toggle' }, 'Fail link');
  const linkUp = (copy: number) => {
    const f = session.state.copies.at(copy)?.links.get(link.value);
    if (f) return f.up;
    return sc.file.links.find((l) => l.id === link.value)?.up ?? true;
  };
  const targetCopies = () =>
    team.value === ALL_TEAMS
      ? session.state.copies.map((c) => c.index)
      : [Number(team.value)].filter((n) => Number.isInteger(n));
  linkButton.addEventListener('click', () => {
    const copies = targetCopies();
    const up = !copies.every((c) => linkUp(c));
    for (const copy of copies) session.send('host.link', { copy, link: link.value, up }, linkButton);
  });
  link.addEventListener('change', () => update());
  team.addEventListener('change', () => update());

  const teamsBody = h('tbody', {});
  const tools = hostTools(session);
  const steps = stepControls(session);
  const players = playerManager(session);
  const burst = lossBurstControl(session, () => ({
    link: link.value,
    copy: team.value === ALL_TEAMS ? null : Number(team.value),
  }));
  const spike = trafficSpikeControl(session, () => (team.value === ALL_TEAMS ? null : Number(team.value)));
  const outage = dcOutageControl(session, targetCopies);
  const el = h(
    'section',
    { class: 'card host-panel', 'aria-label': 'Host controls', testid: 'host-panel' },
    h('h2', {}, 'Host controls'),
    h('div', { class: 'row' }, pause, end),
    steps.el,
    tools.el,
    h('label', { for: 'host-round-speed' }, 'Speed'),
    speed,
    h('h3', {}, 'Faults'),
    h('label', { for: 'host-link-team' }, 'Team'),
    team,
    h('label', { for: 'host-link' }, 'Link (or click one on the map)'),
    link,
    linkButton,
    burst,
    spike,
    outage,
    h('h3', {}, 'Teams'),
    h(
      'table',
      { class: 'table', testid: 'team-scores' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', {}, 'Team'),
          h('th', {}, 'Score'),
          h('th', { title: 'UDP frames: p95 latency · lost' }, 'Calls'),
          h('th', { title: 'TCP requests: p95 latency · failed' }, 'Web pages'),
          h('th', {}, 'Trend'),
        ),
      ),
      teamsBody,
    ),
    h('h3', {}, 'Players'),
    players.el,
  );

  const update = () => {
    const st = session.state;
    pause.textContent = st.phase === 'paused' ? 'Resume' : 'Pause';
    pause.dataset.testid = st.phase === 'paused' ? 'host-resume' : 'host-pause';
    end.textContent = performance.now() < armedUntil ? 'Click again to end' : 'End round';
    renderIfChanged(speed, String(st.timeScale), () => {
      const known = SPEEDS.some((s) => Math.abs(s.value - st.timeScale) < 1e-6);
      const options = known ? SPEEDS : [...SPEEDS, { value: st.timeScale, label: speedLabel(st.timeScale) }];
      return options.map((s) =>
        h('option', { value: s.value, selected: Math.abs(s.value - st.timeScale) < 1e-6 }, s.label),
      );
    });
    const copies = st.copies.map((c) => c.index);
    renderIfChanged(team, copies.join(','), () => [
      ...copies.map((c) => h('option', { value: c }, teamName(c))),
      copies.length > 1 ? h('option', { value: ALL_TEAMS }, 'All teams') : null,
    ]);
    const allUp = targetCopies().every((c) => linkUp(c));
    linkButton.textContent = allUp ? `Fail ${link.value}` : `Restore ${link.value}`;
    linkButton.className = allUp ? 'danger' : 'primary';

    const teams = st.copies.map((c) => ({
      copy: c.index,
      score: c.score,
      calls: [latencyText(c.udpP95LatencyMs, ' ms'), `lost\u00a0${percent(c.udpLossPct)}`],
      pages: [latencyText(c.tcpP95LatencyMs, ' ms'), `failed\u00a0${percent(c.tcpFailPct)}`],
      hist: c.scoreHistory.toArray(),
    }));
    renderIfChanged(teamsBody, JSON.stringify(teams), () =>
      teams.map((t) =>
        h(
          'tr',
          { testid: `team-row-${t.copy}` },
          h('td', {}, teamName(t.copy)),
          h('td', { class: 'num', testid: `team-score-${t.copy}` }, String(t.score)),
          channelCell(t.calls, `team-calls-${t.copy}`),
          channelCell(t.pages, `team-pages-${t.copy}`),
          h('td', {}, sparkline(t.hist, `${teamName(t.copy)} score over time`, '#7cf29a')),
        ),
      ),
    );
    tools.update();
    steps.update();
    players.update();
  };
  update();
  return {
    el,
    update,
    selectedLink: () => link.value,
    selectLink: (id) => {
      link.value = id;
      update();
    },
  };
}

/** A channel's p95 over its loss (or failures), stacked so the teams table fits the side panel. */
function channelCell([p95, loss]: string[], testid: string): HTMLElement {
  return h('td', { class: 'num', testid }, p95, h('br'), h('small', { class: 'muted' }, loss));
}

import type { Session } from '../net/connection.ts';
import { fetchLessons } from '../net/lessons.ts';
import { seatName } from '../panels/index.ts';
import { h, renderIfChanged, teamName } from './dom.ts';
import { projectorUrl } from './projector.ts';

/**
 * The host console's room tools (SPEC HOST-1, HOST-4, HOST-7, HOST-9): lock the room,
 * hide the leaderboard, shuffle teams (lobby), open the projector view.
 */
export function hostTools(session: Session): { el: HTMLElement; update: () => void } {
  const lock = h('button', { class: 'secondary', type: 'button', testid: 'host-lock' });
  lock.addEventListener('click', () => session.send('host.lock', { locked: !session.state.locked }, lock));
  const board = h('button', { class: 'secondary', type: 'button', testid: 'host-leaderboard' });
  board.addEventListener('click', () =>
    session.send('host.leaderboard', { visible: session.state.leaderboardHidden }, board),
  );
  const shuffle = h(
    'button',
    { class: 'secondary', type: 'button', testid: 'host-shuffle' },
    'Shuffle teams',
  );
  shuffle.addEventListener('click', () => session.send('host.shuffle', {}, shuffle));
  const projector = h(
    'button',
    { class: 'secondary', type: 'button', testid: 'host-projector' },
    'Open projector view',
  );
  projector.addEventListener('click', () => {
    const key = session.welcome.projectorKey;
    if (key) window.open(projectorUrl(session.state.code, key), `roundtrip-projector-${session.state.code}`);
  });
  const el = h('div', { class: 'host-tools', testid: 'host-tools' }, lock, board, shuffle, projector);
  const update = () => {
    const st = session.state;
    lock.textContent = st.locked ? 'Unlock room' : 'Lock room';
    lock.classList.toggle('on', st.locked);
    lock.title = st.locked ? 'Nobody new can join; click to let them in' : 'Stop new players joining';
    board.textContent = st.leaderboardHidden ? 'Show leaderboard' : 'Hide leaderboard';
    board.classList.toggle('on', st.leaderboardHidden);
    shuffle.hidden = st.phase !== 'lobby';
    projector.hidden = !session.welcome.projectorKey;
  };
  update();
  return { el, update };
}

/**
 * The host's players (SPEC HOST-2, HOST-3, HOST-4): each with seat, team and score;
 * picking one opens a small editor to rename, move or remove them. The editor sits
 * outside the table, so live updates never wipe what the host is typing.
 */
export function playerManager(
  session: Session,
  shown: { testid: string; scores: boolean } = { testid: 'host-players', scores: true },
): { el: HTMLElement; update: () => void } {
  const body = h('tbody', {});
  const scoreCells = new Map<string, HTMLElement>();
  const labels = new Map(session.replica.scenario.file.nodes.map((n) => [n.id, n.label]));
  let picked: string | null = null;
  const title = h('h4', { testid: 'manage-title' });
  const name = h('input', {
    class: 'field-compact',
    id: 'manage-nickname',
    testid: 'manage-nickname',
    maxlength: 20,
    'aria-label': 'New nickname',
    autocomplete: 'off',
  });
  const rename = h('button', { class: 'secondary', type: 'button', testid: 'manage-rename' }, 'Rename');
  const seat = h('select', {
    class: 'field-compact',
    id: 'manage-seat',
    testid: 'manage-seat',
    'aria-label': 'Move to seat',
  });
  const move = h('button', { class: 'secondary', type: 'button', testid: 'manage-move' }, 'Move');
  const kick = h('button', { class: 'danger', type: 'button', testid: 'manage-kick' }, 'Remove from round');
  // Removing is for good (a ban, SPEC HOST-2): it asks once more, without a timer to race.
  const confirmKick = h('button', { class: 'danger', type: 'button', testid: 'manage-kick-confirm' });
  const cancelKick = h(
    'button',
    { class: 'secondary', type: 'button', testid: 'manage-kick-cancel' },
    'Keep',
  );
  const confirmRow = h('div', { class: 'player-actions', hidden: true }, confirmKick, cancelKick);
  const close = h('button', { class: 'secondary', type: 'button', testid: 'manage-close' }, 'Done');
  const editor = h(
    'div',
    { class: 'card player-editor', testid: 'player-editor', hidden: true },
    title,
    h('div', { class: 'player-actions' }, name, rename),
    h('div', { class: 'player-actions' }, seat, move),
    h('div', { class: 'player-actions' }, kick, close),
    confirmRow,
  );
  const pick = (id: string | null) => {
    picked = id;
    confirmRow.hidden = true;
    const p = id ? session.state.players.get(id) : undefined;
    editor.hidden = !p;
    if (p) name.value = p.nickname;
    update();
  };
  rename.addEventListener('click', () => {
    if (picked) session.send('host.rename', { player: picked, nickname: name.value }, rename);
  });
  name.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') rename.click();
  });
  move.addEventListener('click', () => {
    const [copy, node] = seat.value.split('/');
    if (picked && node !== undefined)
      session.send('host.seat', { player: picked, copy: Number(copy), node }, move);
  });
  kick.addEventListener('click', () => {
    confirmRow.hidden = false;
  });
  cancelKick.addEventListener('click', () => {
    confirmRow.hidden = true;
  });
  confirmKick.addEventListener('click', () => {
    if (!picked) return;
    session.send('host.kick', { player: picked }, kick);
    pick(null);
  });
  close.addEventListener('click', () => pick(null));

  const el = h(
    'div',
    { class: 'players-manage' },
    h(
      'table',
      { class: 'table', testid: shown.testid },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', {}, 'Nickname'),
          h('th', {}, 'Seat'),
          shown.scores ? h('th', { class: 'num' }, 'Score') : null,
          h('th', {}),
        ),
      ),
      body,
    ),
    editor,
  );

  const update = () => {
    const st = session.state;
    // Rows in seat order, not by score: a row never moves under the host's pointer as scores change.
    const order = new Map(session.replica.scenario.seats.map((x, i) => [x.node, i]));
    const players: {
      id: string;
      n: string;
      seat: string;
      c: number;
      at: number;
      on: boolean;
      bot: boolean;
    }[] = [];
    st.players.forEach((p, id) => {
      players.push({
        id,
        n: p.nickname,
        seat: seatName(p.role, p.node, labels.get(p.node)),
        c: p.copy,
        at: order.get(p.node) ?? 0,
        on: p.connected,
        bot: p.covered,
      });
    });
    players.sort((a, b) => a.c - b.c || a.at - b.at);
    renderIfChanged(body, JSON.stringify(players), () => {
      scoreCells.clear();
      return players.length === 0
        ? [h('tr', {}, h('td', { colspan: 4, class: 'muted' }, 'Nobody yet.'))]
        : players.map((p) => {
            const score = h('td', { class: 'num' });
            scoreCells.set(p.id, score);
            return h(
              'tr',
              { class: p.on ? '' : 'muted', testid: `host-player-${p.n}` },
              h('td', {}, p.on ? p.n : `${p.n} (away)`),
              // A bot covering an idle student's seat (SPEC COVER-1): the teacher sees who to nudge.
              h('td', {}, `${p.seat} · ${teamName(p.c)}${p.bot ? ' · bot covering' : ''}`),
              shown.scores ? score : null,
              h(
                'td',
                {},
                h(
                  'button',
                  {
                    class: 'secondary small',
                    type: 'button',
                    testid: `manage-${p.n}`,
                    'aria-label': `Manage ${p.n}`,
                    onclick: () => pick(p.id),
                  },
                  'Manage',
                ),
              ),
            );
          });
    });
    // Scores change in place.
    for (const [id, cell] of scoreCells) {
      const score = String(st.players.get(id)?.score ?? '');
      if (cell.textContent !== score) cell.textContent = score;
    }
    const p = picked ? st.players.get(picked) : undefined;
    if (picked && !p) {
      picked = null;
      editor.hidden = true;
    }
    if (!p || !picked) return;
    title.textContent = `${p.nickname} · ${seatName(p.role, p.node, labels.get(p.node))} · ${teamName(p.copy)}`;
    confirmKick.textContent = `Remove ${p.nickname} for good`;
    // Seats: every seat of the existing teams, and (before the round) one more team.
    const playing = st.phase === 'running' || st.phase === 'paused';
    const teams = playing
      ? st.copies.length
      : Math.max(1, ...[...st.players.values()].map((x) => x.copy + 1)) + 1;
    const holders = new Map<string, string>();
    st.players.forEach((x) => {
      holders.set(`${x.copy}/${x.node}`, x.nickname);
    });
    const seats = session.replica.scenario.seats;
    const options: { value: string; text: string }[] = [];
    for (let c = 0; c < teams; c++)
      for (const s of seats) {
        const key = `${c}/${s.node}`;
        const who = holders.get(key);
        options.push({
          value: key,
          text: `${teamName(c)} · ${seatName(s.role, s.node, labels.get(s.node))}${who ? ` (${who})` : playing ? ' (bot)' : ''}`,
        });
      }
    renderIfChanged(seat, `${picked}:${JSON.stringify(options)}`, () =>
      options.map((o) =>
        h('option', { value: o.value, selected: o.value === `${p.copy}/${p.node}` }, o.text),
      ),
    );
  };
  update();
  return { el, update };
}

/**
 * While paused (SPEC HOST-5): run one tick of simulated time, or one simulated second.
 */
export function stepControls(session: Session): { el: HTMLElement; update: () => void } {
  const tick = h('button', { class: 'secondary', type: 'button', testid: 'host-step-tick' }, 'Step 1 tick');
  tick.addEventListener('click', () => session.send('host.step', { by: 'tick' }, tick));
  const second = h('button', { class: 'secondary', type: 'button', testid: 'host-step-second' }, 'Step 1 s');
  second.addEventListener('click', () => session.send('host.step', { by: 'second' }, second));
  const el = h('div', { class: 'row', testid: 'host-step' }, tick, second);
  const update = () => {
    el.hidden = session.state.phase !== 'paused';
  };
  update();
  return { el, update };
}

/** Loss burst choices: share of packets lost, and for how long (simulated seconds). */
const BURST_LOSS_PCT = [10, 30, 60] as const;
const BURST_SECONDS = [5, 10, 30] as const;

/**
 * A loss burst on the link picked in the host panel (SPEC HOST-6), in the team picked
 * there or in every team alike.
 */
export function lossBurstControl(
  session: Session,
  target: () => { link: string; copy: number | null },
): HTMLElement {
  const pct = h(
    'select',
    {
      class: 'field-compact',
      id: 'host-burst-loss',
      testid: 'host-burst-loss',
      'aria-label': 'Loss during the burst',
    },
    ...BURST_LOSS_PCT.map((p) => h('option', { value: p, selected: p === 30 }, `${p} % lost`)),
  );
  const secs = h(
    'select',
    {
      class: 'field-compact',
      id: 'host-burst-seconds',
      testid: 'host-burst-seconds',
      'aria-label': 'Burst length',
    },
    ...BURST_SECONDS.map((s) => h('option', { value: s, selected: s === 10 }, `for ${s} s`)),
  );
  const go = h('button', { class: 'danger', type: 'button', testid: 'host-burst' }, 'Loss burst');
  go.addEventListener('click', () => {
    const { link, copy } = target();
    session.send(
      'host.lossBurst',
      {
        link,
        lossPct: Number(pct.value),
        seconds: Number(secs.value),
        ...(copy === null ? {} : { copy }),
      },
      go,
    );
  });
  return h(
    'div',
    {},
    h('label', { for: 'host-burst-loss' }, 'Loss burst on this link'),
    h('div', { class: 'player-actions' }, pct, secs, go),
  );
}

/** Traffic spike choices: how many times the load, and for how long (simulated seconds). */
const SPIKE_FACTORS = [2, 5, 10] as const;
const SPIKE_SECONDS = [5, 10, 30] as const;
const ALL_FLOWS = '';

/**
 * A traffic spike (SPEC HOST-6, TRF-5): one flow or every flow sends several times as
 * much for a while, in the team picked in the host panel or in every team alike.
 */
export function trafficSpikeControl(session: Session, copy: () => number | null): HTMLElement {
  const flows = session.replica.scenario.file.traffic;
  const flow = h(
    'select',
    {
      class: 'field-compact',
      id: 'host-spike-flow',
      testid: 'host-spike-flow',
      'aria-label': 'Flow to spike',
    },
    h('option', { value: ALL_FLOWS }, 'all traffic'),
    ...flows.map((f) => h('option', { value: f.id }, f.label || f.id)),
  );
  const factor = h(
    'select',
    {
      class: 'field-compact',
      id: 'host-spike-factor',
      testid: 'host-spike-factor',
      'aria-label': 'How much more',
    },
    ...SPIKE_FACTORS.map((x) => h('option', { value: x, selected: x === 5 }, `× ${x}`)),
  );
  const secs = h(
    'select',
    {
      class: 'field-compact',
      id: 'host-spike-seconds',
      testid: 'host-spike-seconds',
      'aria-label': 'Spike length',
    },
    ...SPIKE_SECONDS.map((s) => h('option', { value: s, selected: s === 10 }, `for ${s} s`)),
  );
  const go = h('button', { class: 'danger', type: 'button', testid: 'host-spike' }, 'Traffic spike');
  go.addEventListener('click', () => {
    const team = copy();
    session.send(
      'host.trafficSpike',
      {
        factor: Number(factor.value),
        seconds: Number(secs.value),
        ...(flow.value === ALL_FLOWS ? {} : { flow: flow.value }),
        ...(team === null ? {} : { copy: team }),
      },
      go,
    );
  });
  return h(
    'div',
    {},
    h('label', { for: 'host-spike-flow' }, 'Traffic spike'),
    h('div', { class: 'player-actions' }, flow, factor, secs, go),
  );
}

/**
 * A data-centre outage (SPEC HOST-6, DC-3) in the teams `copies()` gives, for lessons
 * with data centres (null otherwise): one message per team, as for a link.
 */
export function dcOutageControl(session: Session, copies: () => number[]): HTMLElement | null {
  const dcs = session.replica.scenario.file.dataCentres;
  if (dcs.length === 0) return null;
  const dc = h(
    'select',
    { class: 'field-compact', id: 'host-dc', testid: 'host-dc', 'aria-label': 'Data centre' },
    ...dcs.map((d) => h('option', { value: d.id }, d.label || d.id)),
  );
  const button = (down: boolean) => {
    const b = h(
      'button',
      { class: down ? 'danger' : 'secondary', type: 'button', testid: down ? 'host-dc-down' : 'host-dc-up' },
      down ? 'Outage' : 'Bring back',
    );
    b.addEventListener('click', () => {
      for (const copy of copies()) session.send('host.dcOutage', { copy, dc: dc.value, down }, b);
    });
    return b;
  };
  return h(
    'div',
    {},
    h('label', { for: 'host-dc' }, 'Data-centre outage'),
    h('div', { class: 'player-actions' }, dc, button(true), button(false)),
  );
}

/**
 * After a round (SPEC HOST-8): the host picks the next lesson and opens it in the same
 * room, everyone still joined; players are told to stay.
 */
export function nextRoundPanel(session: Session): HTMLElement {
  if (session.role !== 'host')
    return h(
      'p',
      { class: 'card muted', testid: 'next-round-wait' },
      'Stay on this page: when the host starts the next round, you will be in it.',
    );
  const lesson = h('select', { id: 'next-lesson', testid: 'next-lesson', 'aria-label': 'Next lesson' });
  const go = h(
    'button',
    { class: 'primary', type: 'button', testid: 'next-round', disabled: true },
    'Next round',
  );
  const status = h('p', { class: 'muted' }, 'Loading the lessons…');
  fetchLessons().then(
    (list) => {
      const current = session.state.scenarioId;
      const at = list.findIndex((l) => l.id === current);
      const suggested = list[at + 1]?.id ?? current;
      lesson.replaceChildren(
        ...list.map((l) =>
          h('option', { value: l.id, selected: l.id === suggested }, `Lesson ${l.lesson}: ${l.title}`),
        ),
      );
      go.disabled = false;
      status.textContent = 'Everyone stays joined; these results stay saved under Past rounds.';
    },
    (e: unknown) => {
      status.textContent = `Could not load the lessons: ${e instanceof Error ? e.message : String(e)}`;
    },
  );
  go.addEventListener('click', () => session.send('host.next', { scenario: lesson.value }, go));
  return h(
    'section',
    { class: 'card next-round', testid: 'next-round-panel' },
    h('h2', {}, 'Next round'),
    h('label', { for: 'next-lesson' }, 'Lesson'),
    h('div', { class: 'row' }, lesson, go),
    status,
  );
}

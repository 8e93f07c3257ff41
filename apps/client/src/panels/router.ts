import type { ClientMessage } from '@roundtrip/protocol';
import { routerView } from '@roundtrip/sim';
import type { GameSession } from '../net/gameSession.ts';
import { h, renderIfChanged } from '../ui/dom.ts';
import type { RolePanel, RolePanelModule } from './panel.ts';

/** The router role's panel (SPEC RT-1, RT-5, QUEUE-5). */
export const routerPanel: RolePanelModule = { name: 'router', create: createRouterPanel };

type Discipline = ClientMessage<'queue.set'>['discipline'];

/** Queue disciplines a player can pick for an interface, in the order offered. */
const DISCIPLINES: { kind: Discipline['kind']; label: string }[] = [
  { kind: 'fifo', label: 'FIFO (first come)' },
  { kind: 'priority', label: 'Priority (UDP first)' },
  { kind: 'red', label: 'RED (drop early)' },
];

/**
 * RED for an interface holding `queuePackets`: drop early from a quarter full, always
 * from three quarters, with the scenario defaults for maxP and weight (SPEC QUEUE-4).
 */
export function redFor(queuePackets: number): Discipline {
  const minThPackets = Math.max(1, Math.round(queuePackets / 4));
  const maxThPackets = Math.max(minThPackets + 1, Math.round((queuePackets * 3) / 4));
  return { kind: 'red', minThPackets, maxThPackets, maxP: 0.1, weight: 0.002 };
}

/**
 * The player's router: forwarding table (add, change, delete), hand forwarding
 * (toggle, waiting packets, forward to a neighbour), the queue discipline towards
 * each neighbour and the drops on its links.
 */
function createRouterPanel(session: GameSession, routerId: string, copy: number): RolePanel {
  const sc = session.replica.scenario;
  const spec = sc.file.nodes.find((n) => n.id === routerId);
  const label = (id: string) => {
    const n = sc.file.nodes.find((x) => x.id === id);
    return n?.label || id;
  };
  const nodeIndex = sc.nodeIndex.get(routerId) ?? -1;
  const neighbours = [
    ...new Set((sc.ports[nodeIndex] ?? []).map((p) => sc.nodeIds[p.peer] ?? '').filter(Boolean)),
  ];
  const myLinks = sc.file.links.filter((l) => l.a === routerId || l.b === routerId);
  const viaOptions = (selected: string) =>
    neighbours.map((n) => h('option', { value: n, selected: n === selected }, label(n)));

  // Forwarding table
  const tableBody = h('tbody', {});
  const prefix = h('input', {
    id: 'route-prefix',
    testid: 'route-prefix',
    placeholder: '10.3.0.0/16',
    autocomplete: 'off',
    spellcheck: false,
    inputmode: 'decimal',
  });
  const via = h('select', { id: 'route-via', testid: 'route-via' }, ...viaOptions(''));
  const add = h('button', { type: 'submit', class: 'primary', testid: 'route-add' }, 'Add / replace');
  const addForm = h(
    'form',
    { class: 'route-add' },
    h('label', { for: 'route-prefix' }, 'Prefix'),
    prefix,
    h('label', { for: 'route-via' }, 'Next hop'),
    via,
    add,
  );
  addForm.addEventListener('submit', (e) => {
    e.preventDefault();
    const p = prefix.value.trim();
    if (!/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/.test(p)) {
      prefix.setCustomValidity('Write a prefix such as 10.3.0.0/16 or 10.3.0.10/32');
      prefix.reportValidity();
      return;
    }
    prefix.setCustomValidity('');
    session.send('route.set', { prefix: p, via: via.value }, add);
    // Cleared only once the route is in the table: a refused one keeps what was typed (SPEC MSG-8).
    sentRoute = { prefix: p, via: via.value };
  });
  prefix.addEventListener('input', () => prefix.setCustomValidity(''));

  let sentRoute: { prefix: string; via: string } | null = null;

  // Hand forwarding
  const handToggle = h('input', { type: 'checkbox', id: 'hand-toggle', testid: 'hand-toggle' });
  handToggle.addEventListener('change', () => {
    session.send('hand.mode', { enabled: handToggle.checked }, handToggle);
  });
  const queueList = h('ul', { class: 'hand-queue', testid: 'hand-queue' });
  // While the pointer is over the list its rows hold still (SPEC UI-1): packets that left stay
  // as greyed rows and new ones join at the end, so a click lands on the packet aimed at.
  let pointerOver = false;
  queueList.addEventListener('pointerenter', () => {
    pointerOver = true;
  });
  queueList.addEventListener('pointerleave', () => {
    pointerOver = false;
    update();
  });
  let shownIds: number[] = [];
  const sendButtons = h('div', { class: 'hand-send', testid: 'hand-send' });
  const handHint = h('p', { class: 'muted' });
  let picked: number | null = null;
  const forward = (to: string, anchor: HTMLElement | null) => {
    if (picked === null) return;
    session.send('hand.forward', { packetId: picked, via: to }, anchor);
    picked = null;
  };
  for (const n of neighbours) {
    const b = h(
      'button',
      { class: 'secondary', testid: `hand-via-${n}`, disabled: true },
      `Send to ${label(n)}`,
    );
    b.addEventListener('click', () => forward(n, b));
    sendButtons.append(b);
  }
  const handSection = h(
    'section',
    { class: 'hand', 'aria-label': 'Hand forwarding' },
    h('h3', {}, 'Hand forwarding'),
    h('label', { class: 'toggle', for: 'hand-toggle' }, handToggle, ' Forward packets by hand'),
    handHint,
    // The neighbours above the list: a growing queue never pushes them out of reach.
    sendButtons,
    queueList,
  );

  // Queue discipline of each interface (the direction from this router towards a neighbour).
  const queuesBody = h('tbody', {});
  const queuesSection = h(
    'section',
    { class: 'queues', 'aria-label': 'Queues' },
    h('h3', {}, 'Queues'),
    h('p', { class: 'muted' }, 'How each of your interfaces picks and drops packets when it is busy.'),
    h(
      'table',
      { class: 'table', testid: 'my-queues' },
      h('thead', {}, h('tr', {}, h('th', {}, 'Towards'), h('th', {}, 'Discipline'))),
      queuesBody,
    ),
  );

  const linksBody = h('tbody', {});
  const title = h('h2', {}, `Your router: ${label(routerId)} (${routerId})`);
  const el = h(
    'section',
    { class: 'card router-panel', testid: 'router-panel', 'aria-label': 'Your router' },
    title,
    // Lesson 1 starts by hand: the waiting packets come first, in view without scrolling.
    handSection,
    h('h3', {}, 'Forwarding table'),
    h(
      'table',
      { class: 'table routes', testid: 'route-table' },
      h('thead', {}, h('tr', {}, h('th', {}, 'Prefix'), h('th', {}, 'Next hop'), h('th', {}, ''))),
      tableBody,
    ),
    addForm,
    queuesSection,
    h('h3', {}, 'Your links'),
    h(
      'table',
      { class: 'table', testid: 'my-links' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', {}, 'To'),
          h('th', {}, 'State'),
          h('th', {}, 'Busy'),
          h(
            'th',
            { title: 'Packets dropped on this link: queue full, and lost on the wire (or sent while down)' },
            'Drops',
          ),
        ),
      ),
      linksBody,
    ),
  );

  const queueRows = new Map<number, { li: HTMLElement; waited: HTMLElement }>();
  const update = () => {
    const sim = session.replica.sim;
    const rv = sim ? routerView(sim, routerId) : null;
    const routes = rv
      ? rv.routes
      : (spec?.kind === 'router' ? spec.routes : []).map((r) => ({ prefix: r.prefix, via: r.via }));
    const added = sentRoute && routes.find((r) => r.prefix === sentRoute?.prefix && r.via === sentRoute.via);
    if (added) {
      if (prefix.value.trim() === added.prefix) prefix.value = '';
      sentRoute = null;
    }
    renderIfChanged(tableBody, JSON.stringify(routes), () =>
      routes.length === 0
        ? [h('tr', {}, h('td', { colspan: 3, class: 'muted' }, 'No routes: every packet here is dropped.'))]
        : routes.map((r) => {
            const change = h(
              'select',
              { 'aria-label': `Next hop for ${r.prefix}`, testid: `route-via-${r.prefix}` },
              ...viaOptions(r.via),
            );
            change.addEventListener('change', () =>
              session.send('route.set', { prefix: r.prefix, via: change.value }, change),
            );
            const del = h(
              'button',
              { class: 'icon', 'aria-label': `Delete route ${r.prefix}`, testid: `route-delete-${r.prefix}` },
              '✕',
            );
            del.addEventListener('click', () => session.send('route.delete', { prefix: r.prefix }, del));
            return h(
              'tr',
              { testid: `route-row-${r.prefix}` },
              h('td', { class: 'mono' }, r.prefix),
              h('td', {}, change),
              h('td', {}, del),
            );
          }),
    );

    // Hand forwarding: shown where the lesson uses it or the player switched it on.
    const handOn = rv?.handForwarding ?? (spec?.kind === 'router' && spec.handForwarding);
    handSection.hidden = !(handOn || (spec?.kind === 'router' && spec.handForwarding));
    if (document.activeElement !== handToggle) handToggle.checked = handOn;
    const waiting = rv?.handQueue ?? [];
    if (picked !== null && !waiting.some((w) => w.packetId === picked)) picked = null;
    handHint.textContent = !handOn
      ? 'Your table forwards packets automatically.'
      : waiting.length === 0
        ? 'No packets waiting. They appear here as they arrive.'
        : picked === null
          ? 'Pick a packet, then the neighbour to send it to.'
          : `Packet #${picked}: where to? (or click a neighbour on the map)`;
    const waitingIds = waiting.map((w) => w.packetId);
    shownIds = pointerOver ? heldOrder(shownIds, waitingIds) : waitingIds;
    const byId = new Map(waiting.map((w) => [w.packetId, w]));
    renderIfChanged(queueList, shownIds.join(','), () => {
      queueRows.clear();
      return shownIds.map((id) => {
        const w = byId.get(id);
        if (!w)
          return h(
            'li',
            { class: 'gone' },
            h(
              'button',
              { class: 'packet', disabled: true, 'aria-label': `Packet #${id} has left` },
              `#${id} left`,
            ),
          );
        const waited = h('span', { class: 'muted' });
        const li = h(
          'li',
          {},
          h(
            'button',
            {
              class: 'packet',
              testid: `hand-packet-${w.packetId}`,
              onclick: () => {
                picked = w.packetId;
                update();
              },
            },
            h('span', { class: `chip chip-${w.channel}` }, w.channel.toUpperCase()),
            ` #${w.packetId} → ${w.dst} · TTL ${w.ttl} · `,
            waited,
          ),
        );
        queueRows.set(w.packetId, { li, waited });
        return li;
      });
    });
    for (const w of waiting) {
      const row = queueRows.get(w.packetId);
      if (!row) continue;
      row.waited.textContent = `waited ${(w.waitedUs / 1e6).toFixed(1)} s`;
      row.li.classList.toggle('picked', w.packetId === picked);
    }
    for (const b of sendButtons.querySelectorAll('button')) b.disabled = picked === null;

    // Queues: re-rendered only when a discipline changes, so an open select stays open.
    const queues = myLinks.map((l) => {
      const live = sim?.st.links[sc.linkIndex.get(l.id) ?? -1];
      // Direction 0 sends a→b: from this router when it is end a.
      const kind = live?.dirs[l.a === routerId ? 0 : 1].discipline.kind ?? l.queueDiscipline.kind;
      return { id: l.id, to: l.a === routerId ? l.b : l.a, kind, queuePackets: l.queuePackets };
    });
    renderIfChanged(queuesBody, JSON.stringify(queues), () =>
      queues.map((q) => {
        const pick = h(
          'select',
          { 'aria-label': `Queue discipline towards ${label(q.to)}`, testid: `queue-${q.to}` },
          ...DISCIPLINES.map((d) => h('option', { value: d.kind, selected: d.kind === q.kind }, d.label)),
        );
        pick.addEventListener('change', () => {
          const kind = pick.value as Discipline['kind'];
          const discipline: Discipline = kind === 'red' ? redFor(q.queuePackets) : { kind };
          session.send('queue.set', { via: q.to, discipline }, pick);
        });
        return h('tr', { testid: `queue-row-${q.to}` }, h('td', {}, label(q.to)), h('td', {}, pick));
      }),
    );

    // Links touching my router: state, utilisation, drops (from the room's figures).
    const figures = session.state.copies.at(copy)?.links;
    const linkRows = myLinks.map((l) => {
      const f = figures?.get(l.id);
      const live = sim?.st.links[sc.linkIndex.get(l.id) ?? -1];
      return {
        id: l.id,
        to: l.a === routerId ? l.b : l.a,
        up: live ? live.up : (f?.up ?? l.up),
        util: f?.utilPct ?? 0,
        drops: f?.drops ?? 0,
        queueDrops: f?.queueDrops ?? 0,
        lost: f?.lost ?? 0,
      };
    });
    renderIfChanged(linksBody, JSON.stringify(linkRows), () =>
      linkRows.map((r) =>
        h(
          'tr',
          { testid: `my-link-${r.id}` },
          h('td', {}, label(r.to)),
          h('td', { class: r.up ? 'ok' : 'bad' }, r.up ? 'up' : 'DOWN'),
          h('td', {}, `${r.util}%`),
          h(
            'td',
            { class: r.drops > 0 ? 'bad' : '', testid: `my-link-drops-${r.id}` },
            String(r.drops),
            r.drops > 0 ? h('small', { class: 'muted drop-split' }, dropSplit(r.queueDrops, r.lost)) : null,
          ),
        ),
      ),
    );
  };
  update();
  return {
    el,
    update,
    nodeClicked: (id) => {
      if (picked !== null && neighbours.includes(id)) forward(id, queueList);
    },
  };
}

/** Which drops a link's count holds, in words: "3 queue full · 5 lost". */
export function dropSplit(queueDrops: number, lost: number): string {
  const parts = [queueDrops > 0 ? `${queueDrops} queue full` : '', lost > 0 ? `${lost} lost` : ''];
  return parts.filter(Boolean).join(' · ');
}

/**
 * The rows to show while the pointer rests on the queue (SPEC UI-1): the rows shown
 * before, in place (packets that left keep their row), then packets that arrived since.
 */
export function heldOrder(shown: readonly number[], waiting: readonly number[]): number[] {
  return [...shown, ...waiting.filter((id) => !shown.includes(id))];
}

import { formatSimMs } from '../view/headerFormat.ts';
import type { InspectorView, PacketInspector } from '../view/packetInspector.ts';
import { h, renderIfChanged } from './dom.ts';

/** The packet inspector's panel: beside the map on a laptop, a bottom sheet under it on a phone. */
export interface InspectorPanel {
  el: HTMLElement;
  /** Freezes the packet with this id and shows it; false when it already left the network. */
  open(id: number): boolean;
  close(): void;
  update(): void;
  destroy(): void;
}

/** Words for a fate, announced once when it changes. */
const FATE_WORDS: Record<InspectorView['fate'], string> = {
  network: 'In the network',
  held: 'Held at a router',
  delivered: 'Delivered',
  dropped: 'Dropped',
};

/** Phones (styles.css): the panel is a bottom sheet. */
const PHONE = '(max-width: 760px)';
/** The sheet's least height, px, when the map leaves less room below it. */
const SHEET_MIN_PX = 180;

/**
 * Shows what `inspector` holds: the headers as frozen at the click (a definition list
 * per layer), the packet's fate (announced to screen readers when it changes) and
 * where it is now. Escape or the close button closes it; the round goes on.
 */
export function packetInspectorPanel(inspector: PacketInspector, map: HTMLElement): InspectorPanel {
  const title = h('h2', { id: 'inspector-title', testid: 'inspector-title' });
  // Only the fate is live: it changes once or twice, where the status changes every frame.
  const fate = h('span', { class: 'inspector-fate', testid: 'inspector-fate', 'aria-live': 'polite' });
  const status = h('p', { class: 'inspector-status', testid: 'inspector-status' });
  const travelled = h('p', { class: 'muted inspector-travelled', testid: 'inspector-travelled' });
  const captured = h('p', { class: 'muted inspector-captured' });
  const sections = h('div', { class: 'inspector-sections' });
  let returnFocus: HTMLElement | null = null;

  const close = () => {
    inspector.close();
    el.hidden = true;
    document.removeEventListener('keydown', onKey);
    returnFocus?.focus({ preventScroll: true });
    returnFocus = null;
  };
  const onKey = (e: KeyboardEvent) => {
    if (e.key === 'Escape') close();
  };
  const closeButton = h(
    'button',
    {
      class: 'icon',
      type: 'button',
      testid: 'inspector-close',
      'aria-label': 'Close the packet inspector',
      onclick: close,
    },
    '✕',
  );
  const el = h(
    'section',
    {
      class: 'card inspector',
      testid: 'inspector',
      role: 'region',
      'aria-labelledby': 'inspector-title',
      tabindex: -1,
      hidden: true,
    },
    h('header', { class: 'inspector-head' }, title, closeButton),
    h('div', { class: 'inspector-now' }, fate, status),
    travelled,
    captured,
    sections,
  );

  // A bottom sheet stops where the map ends, so the map's action area stays in view.
  const fitSheet = () => {
    const room = window.innerHeight - map.getBoundingClientRect().bottom;
    el.style.maxHeight = window.matchMedia(PHONE).matches ? `${Math.max(SHEET_MIN_PX, room)}px` : '';
  };
  const update = () => {
    const v = inspector.view();
    if (!v || el.hidden) return;
    fitSheet();
    setText(title, `Packet ${v.id} · ${v.title}`);
    setText(fate, FATE_WORDS[v.fate]);
    fate.dataset.fate = v.fate;
    setText(status, v.status);
    setText(travelled, v.travelled);
    setText(captured, `Headers as captured at t = ${formatSimMs(v.capturedUs)}; the round goes on.`);
    renderIfChanged(sections, `${v.id}@${v.capturedUs}`, () =>
      v.sections.map((s) =>
        h(
          'div',
          {
            class: 'inspector-layer',
            testid: `inspector-layer-${s.title.toLowerCase().replace(/\W+/g, '-')}`,
          },
          h('h3', {}, s.title),
          h('dl', {}, ...s.rows.flatMap((r) => [h('dt', {}, r.label), h('dd', {}, r.value)])),
        ),
      ),
    );
  };

  return {
    el,
    open(id) {
      if (!inspector.inspect(id)) return false;
      if (el.hidden) {
        const active = document.activeElement;
        returnFocus = active instanceof HTMLElement && active !== document.body ? active : null;
        document.addEventListener('keydown', onKey);
      }
      el.hidden = false;
      update();
      el.scrollIntoView({ block: 'nearest' });
      el.focus({ preventScroll: true });
      return true;
    },
    close,
    update,
    destroy: () => document.removeEventListener('keydown', onKey),
  };
}

function setText(el: HTMLElement, text: string): void {
  if (el.textContent !== text) el.textContent = text;
}

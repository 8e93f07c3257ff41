type Attrs = Record<string, string | number | boolean | undefined | ((e: Event) => void)>;
type Child = Node | string | null | undefined | false;

/**
 * Builds an element: `h('button', { class: 'primary', onclick: go, testid: 'start' }, 'Start')`.
 * `testid` becomes `data-testid`; `on*` functions become listeners; false/undefined attributes are skipped.
 */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    if (typeof value === 'function') el.addEventListener(key.slice(2), value);
    else if (key === 'testid') el.dataset.testid = String(value);
    else if (key in el && key !== 'list' && key !== 'for')
      (el as unknown as Record<string, unknown>)[key] = value;
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  for (const c of children) if (c !== null && c !== undefined && c !== false) el.append(c);
  return el;
}

/** Replaces an element's children only when `key` changed since the last call (keeps focus and clicks). */
export function renderIfChanged(el: HTMLElement, key: string, build: () => Child[]): void {
  if (el.dataset.renderKey === key) return;
  el.dataset.renderKey = key;
  el.replaceChildren(
    ...(build().filter((c) => c !== null && c !== undefined && c !== false) as (Node | string)[]),
  );
}

/** Formats simulated microseconds as m:ss. */
export function formatClock(us: number): string {
  const s = Math.max(0, Math.ceil(us / 1_000_000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

let teamNames: readonly string[] = [];

/**
 * A competition's team names, by copy (SPEC COMP-1): the app sets them from the room
 * state, so every screen's `teamName` says "Owls" rather than "Team 1". Empty in a class room.
 */
export function setTeamNames(names: Iterable<string>): void {
  teamNames = [...names];
}

/** A team's name as people read it (copies are 0-based): a competition's own, else "Team N". */
export function teamName(copy: number): string {
  return teamNames[copy] || `Team ${copy + 1}`;
}

/** Wall-clock microseconds that `simUs` of simulated time take at `timeScale` (simulated s per real s). */
export function realUs(simUs: number, timeScale: number): number {
  return timeScale > 0 ? simUs / timeScale : simUs;
}

/** A round's length as a teacher plans with it: class time first, then the simulated time it covers. */
export function roundLengthText(durationUs: number, timeScale: number): string {
  const real = formatClock(realUs(durationUs, timeScale));
  return timeScale === 1
    ? `${real} of class time`
    : `${real} of class time (${formatClock(durationUs)} simulated at ${timeScale < 1 ? `1/${Math.round(1 / timeScale)}` : timeScale}× speed)`;
}

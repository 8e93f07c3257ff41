import type { Scenario } from '@roundtrip/sim';
import { h } from './dom.ts';

/** The lesson's briefing and hints, collapsible so they don't crowd a phone screen. */
export function briefing(scenario: Scenario, open: boolean): HTMLElement {
  const f = scenario.file;
  return h(
    'details',
    { class: 'card briefing', open, testid: 'briefing' },
    h('summary', {}, `Lesson ${f.lesson}: ${f.title} — briefing & hints`),
    h('p', {}, f.briefing),
    f.hints.length > 0 ? h('ul', { class: 'hints' }, ...f.hints.map((t) => h('li', {}, t))) : null,
  );
}

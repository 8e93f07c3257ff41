import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join as pathJoin } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lbRequests, lbScenario } from '../../packages/sim/src/testing/lbScenario.ts';
import { type E2E, LAPTOP, openLobby, PHONE, SHOTS, startE2E, startRound, text } from './harness.ts';

/**
 * Players hold the L4 balancer of the balancer fixture (three web servers behind it),
 * served from a lessons folder of its own (SCENARIOS_DIR): they change the algorithm,
 * drain a backend and take one down, and the panel and the map show it (SPEC LB-UI-1,
 * LB-UI-2, VIEW-9, VIEW-10, VIEW-11).
 */

let e2e: E2E;
let lessonsDir = '';
beforeAll(async () => {
  lessonsDir = mkdtempSync(pathJoin(tmpdir(), 'roundtrip-l4lb-lessons-'));
  // Slow requests keep each connection open about 0.3 s: three backends carry them easily,
  // one alone (4.5 at once on 4 workers) queues them.
  const scenario = lbScenario({
    server: { processingMs: 300, concurrency: 4, queueLimit: 50 },
    traffic: [lbRequests('c1', 120), lbRequests('c2', 150)],
    durationS: 600,
  });
  // The fixture stacks its backends 60 apart; a lesson spreads them so a phone's small map keeps them apart.
  for (const n of scenario.nodes as { id: string; y: number }[])
    if (n.id.startsWith('web-')) n.y = [40, 400, 560][Number(n.id.slice(4)) - 1] ?? n.y;
  writeFileSync(pathJoin(lessonsDir, 'lb-example.json'), JSON.stringify(scenario));
  e2e = await startE2E({ env: { SCENARIOS_DIR: lessonsDir } });
});
afterAll(async () => {
  await e2e?.stop();
  rmSync(lessonsDir, { recursive: true, force: true });
});

const num = async (page: Page, testid: string) => Number((await text(page, testid)).trim());

/** What the map draws now for the balancer: its lines' colours, the backends' load bars, its badges. */
function mapNow(page: Page) {
  return page.evaluate(() => {
    const scene = window.__roundtripGame?.scene.getScene('network') as {
      vm?: {
        frame(nowMs: number): {
          assigns: { color: number; alpha: number }[];
          serverLoads: { id: string; out: boolean; busyFill: number; queueFill: number }[];
          badges: { text: string }[];
        };
      };
    } | null;
    const f = scene?.vm?.frame(performance.now());
    return {
      lineColors: (f?.assigns ?? []).map((a) => a.color),
      loads: f?.serverLoads ?? [],
      badges: (f?.badges ?? []).map((b) => b.text),
    };
  });
}

describe('the L4 balancer in the browser', () => {
  it('LB-UI-1, LB-UI-2, VIEW-9, VIEW-10, VIEW-11: change the algorithm, drain a backend, take one down', async () => {
    const { host, students } = await openLobby(e2e, { lesson: 'lb-example', minutes: '10', speed: '1' }, [
      { nickname: 'Ada', ...LAPTOP },
      { nickname: 'Bob', ...PHONE },
    ]);
    const [ada, bob] = students as [Page, Page];
    await startRound(host, [ada, bob]);
    for (const p of [ada, bob]) await p.getByTestId('l4lb-panel').waitFor();
    expect(await text(ada, 'player-role')).toContain('lb');

    // Round robin spreads connections over all three; the map draws a line to each, in its colour.
    await expect.poll(() => num(ada, 'l4lb-accepted'), { timeout: 30_000 }).toBeGreaterThan(10);
    await expect.poll(async () => new Set((await mapNow(ada)).lineColors).size, { timeout: 20_000 }).toBe(3);
    const web1Color = await ada.evaluate(() => {
      const el = document.querySelector('[data-testid="l4lb-backend-web-1"] .lb-swatch') as HTMLElement;
      return getComputedStyle(el).backgroundColor;
    });
    expect(web1Color).toBe('rgb(255, 138, 101)');
    expect(await ada.locator('.legend').textContent()).toContain('new connection → its backend');
    expect(await text(ada, 'l4lb-state-web-1')).toBe('taking connections');
    expect(await text(ada, 'l4lb-imbalance')).toMatch(/^\d\.\d\d× \((even|uneven|lopsided)\)$|^—$/);
    // The server's load: workers and queue, memory, refused.
    expect(await text(ada, 'l4lb-server-web-2')).toMatch(
      /^Server: \d+\/4 busy · \d+\/50 queued · memory \d+ KB · \d+ refused$/,
    );

    // The algorithm: the server's answer comes back to the picker, with its line of explanation.
    await ada.getByTestId('l4lb-algorithm').selectOption('least-connections');
    await expect.poll(() => text(ada, 'l4lb-algorithm-hint')).toContain('fewest open connections');
    await ada.getByTestId('l4lb-flush').focus();
    await expect.poll(() => ada.getByTestId('l4lb-algorithm').inputValue()).toBe('least-connections');

    // A weight out of range is refused in the panel, beside the card's controls.
    await ada.getByTestId('l4lb-weight-web-3').fill('150');
    await ada.getByTestId('l4lb-weight-web-3').press('Enter');
    await expect
      .poll(() => ada.getByTestId('l4lb-backend-web-3').locator('.form-error').textContent())
      .toBe('A weight is a whole number from 0 to 100.');

    // Drain web-1: its open connections finish, it takes no new ones, and its line fades from the map.
    await ada.getByTestId('l4lb-drain-web-1').click();
    await expect.poll(() => ada.getByTestId('l4lb-drain-web-1').getAttribute('aria-pressed')).toBe('true');
    await expect.poll(() => text(ada, 'l4lb-state-web-1'), { timeout: 20_000 }).toBe('drained');
    const web1Total = (await text(ada, 'l4lb-conns-web-1')).match(/(\d+) total/)?.[1];
    const before = await num(ada, 'l4lb-accepted');
    await expect.poll(() => num(ada, 'l4lb-accepted'), { timeout: 20_000 }).toBeGreaterThan(before + 10);
    expect((await text(ada, 'l4lb-conns-web-1')).match(/(\d+) total/)?.[1]).toBe(web1Total);
    await expect
      .poll(async () => (await mapNow(ada)).lineColors.includes(0xff8a65), { timeout: 10_000 })
      .toBe(false);
    expect(new Set((await mapNow(ada)).lineColors).size).toBe(2);
    await ada.screenshot({ path: `${SHOTS}/l4lb-drained-1280.png` });

    // Down web-2 while its connections are open: they break, counted in the panel and on the map.
    await expect.poll(() => text(ada, 'l4lb-conns-web-2'), { timeout: 20_000 }).toMatch(/^[1-9]\d* open/);
    await ada.getByTestId('l4lb-down-web-2').click();
    await expect.poll(() => text(ada, 'l4lb-state-web-2')).toBe('down (taken out)');
    await expect.poll(() => num(ada, 'l4lb-broken'), { timeout: 20_000 }).toBeGreaterThan(0);
    await expect
      .poll(async () => (await mapNow(ada)).badges.some((b) => b.includes('broken: its backend is down')))
      .toBe(true);
    const loads = (await mapNow(ada)).loads;
    expect(loads.find((l) => l.id === 'web-2')?.out).toBe(true);
    expect(loads.find((l) => l.id === 'web-3')?.out).toBe(false);
    // web-3 alone has too few workers: its queue fills, on the map and in the panel.
    await expect
      .poll(async () => (await mapNow(ada)).loads.find((l) => l.id === 'web-3')?.queueFill, {
        timeout: 20_000,
      })
      .toBeGreaterThan(0);
    await expect
      .poll(() => text(ada, 'l4lb-server-web-3'), { timeout: 20_000 })
      .toMatch(/^Server: 4\/4 busy · [1-9]\d*\/50 queued/);
    await ada.screenshot({ path: `${SHOTS}/l4lb-down-1280.png` });
    await ada.getByTestId('l4lb-panel').evaluate((el) => el.scrollIntoView());
    await ada.screenshot({ path: `${SHOTS}/l4lb-panel-1280.png` });

    // Bob, on a phone, holds the balancer of the second team's network: untouched by Ada.
    expect(await text(bob, 'l4lb-state-web-1')).toBe('taking connections');
    await bob.getByTestId('l4lb-algorithm').selectOption('maglev');
    await expect.poll(() => text(bob, 'l4lb-algorithm-hint')).toMatch(/Table size \d+\.$/);
    await bob.getByTestId('l4lb-drain-web-3').click();
    await expect
      .poll(() => text(bob, 'l4lb-state-web-3'), { timeout: 20_000 })
      .toMatch(/^draining|^drained$/);
    await bob.screenshot({ path: `${SHOTS}/l4lb-390.png` });
    await bob.screenshot({ path: `${SHOTS}/l4lb-390-full.png`, fullPage: true });
    expect(e2e.problems).toEqual([]);
  }, 180_000);
});

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join as pathJoin } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { l7Requests, l7Scenario } from '../../packages/sim/src/testing/l7Scenario.ts';
import { type E2E, LAPTOP, openLobby, PHONE, SHOTS, startE2E, startRound, text } from './harness.ts';

/**
 * Players hold the L7 balancer of a small test network (two pools behind it), served
 * from a lessons folder of its own (SCENARIOS_DIR): they add a path rule, change a pool's
 * algorithm, turn sticky sessions on, change the keep-alive pool and take a backend
 * down, and the panel's figures and the map follow (SPEC LB-UI-3, LB-UI-4, VIEW-12..14).
 */

let e2e: E2E;
let lessonsDir = '';
beforeAll(async () => {
  lessonsDir = mkdtempSync(pathJoin(tmpdir(), 'roundtrip-l7lb-lessons-'));
  // Slow-ish requests on /api and / from both clients, with session cookies: two backends a
  // pool carry them; rules start with / → web only, so /api requests go to web until a rule says so.
  const scenario = l7Scenario({
    apiServers: 2,
    rules: [{ prefix: '/', pool: 'web' }],
    server: { processingMs: 150, concurrency: 4, queueLimit: 50 },
    traffic: [
      l7Requests('c1', 150, { path: '/api/items', sessions: 20 }),
      l7Requests('c2', 150, { path: '/', sessions: 20 }),
    ],
    durationS: 600,
  });
  writeFileSync(pathJoin(lessonsDir, 'l7-example.json'), JSON.stringify(scenario));
  e2e = await startE2E({ env: { SCENARIOS_DIR: lessonsDir } });
});
afterAll(async () => {
  await e2e?.stop();
  rmSync(lessonsDir, { recursive: true, force: true });
});

const num = async (page: Page, testid: string) => Number((await text(page, testid)).trim().split(' ')[0]);

/** What the map draws now for the balancer: its lines' colours, pools, CPU, the backends' load bars, its badges. */
function mapNow(page: Page) {
  return page.evaluate(() => {
    const scene = window.__roundtripGame?.scene.getScene('network') as {
      vm?: {
        frame(nowMs: number): {
          assigns: { color: number; alpha: number }[];
          serverLoads: { id: string; out: boolean; busyFill: number; queueFill: number }[];
          pools: { label: string; members: { color: number }[] }[];
          cpus: { id: string; busyFill: number; queueFill: number }[];
          badges: { text: string }[];
        };
      };
    } | null;
    const f = scene?.vm?.frame(performance.now());
    return {
      lineColors: (f?.assigns ?? []).map((a) => a.color),
      loads: f?.serverLoads ?? [],
      pools: (f?.pools ?? []).map((p) => ({ label: p.label, colors: p.members.map((m) => m.color) })),
      cpus: f?.cpus ?? [],
      badges: (f?.badges ?? []).map((b) => b.text),
    };
  });
}

/** Each figure's first number ("12 done · 0 failed" → 12). */
const first = async (page: Page, testid: string) =>
  Number((await text(page, testid)).match(/\d+/)?.[0] ?? NaN);

describe('the L7 balancer in the browser', () => {
  it('LB-UI-3, LB-UI-4, VIEW-12, VIEW-13, VIEW-14, MSG-8: rules, algorithm, sticky, pool size, a backend down', async () => {
    const { host, students } = await openLobby(e2e, { lesson: 'l7-example', minutes: '10', speed: '1' }, [
      { nickname: 'Ada', ...LAPTOP },
      { nickname: 'Bob', ...PHONE },
    ]);
    const [ada, bob] = students as [Page, Page];
    await startRound(host, [ada, bob]);
    for (const p of [ada, bob]) await p.getByTestId('l7lb-panel').waitFor();

    // Every path goes to web at first: web's requests grow, api's stay at none.
    await expect.poll(() => first(ada, 'l7lb-requests-web'), { timeout: 30_000 }).toBeGreaterThan(10);
    expect(await first(ada, 'l7lb-requests-api')).toBe(0);
    expect(await text(ada, 'l7lb-latency-api')).toBe('—');
    expect(await text(ada, 'l7lb-latency-web')).toMatch(/^\d+ ms$/);
    expect(await text(ada, 'l7lb-state-web-web-1')).toBe('taking requests');
    // The map: both pools named, lines only to web's backends, the balancer's CPU bars.
    const start = await mapNow(ada);
    expect(start.pools.map((p) => p.label)).toEqual(['pool api', 'pool web']);
    expect(start.cpus.map((c) => c.id)).toEqual(['lb']);
    await expect.poll(async () => new Set((await mapNow(ada)).lineColors).size, { timeout: 20_000 }).toBe(2);
    const webColors = start.pools[1]?.colors ?? [];
    expect((await mapNow(ada)).lineColors.every((c) => webColors.includes(c))).toBe(true);
    expect(await ada.locator('.legend').textContent()).toContain('request → its backend');

    // A prefix the server refuses (a space) stays in the field, its sentence beside it.
    const prefix = ada.getByTestId('l7lb-rule-prefix');
    await prefix.fill('/api items');
    await ada.getByTestId('l7lb-rule-add').click();
    await expect.poll(() => ada.getByTestId('toast').first().textContent()).toMatch(/path prefix/);
    expect(await prefix.inputValue()).toBe('/api items');
    // Add /api → api: the field clears, api's pool takes the /api requests, and the map's lines reach it.
    await prefix.fill('/api');
    await ada.getByTestId('l7lb-rule-pool').selectOption('api');
    await ada.getByTestId('l7lb-rule-add').click();
    await expect.poll(() => ada.getByTestId('l7lb-rule').count()).toBe(2);
    await expect.poll(() => prefix.inputValue()).toBe('');
    await expect.poll(() => first(ada, 'l7lb-requests-api'), { timeout: 20_000 }).toBeGreaterThan(3);
    const apiColors = start.pools[0]?.colors ?? [];
    await expect
      .poll(async () => (await mapNow(ada)).lineColors.some((c) => apiColors.includes(c)), {
        timeout: 10_000,
      })
      .toBe(true);

    // The api pool's algorithm: the server's answer comes back to its picker, with its line.
    await ada.getByTestId('l7lb-algorithm-api').selectOption('least-connections');
    await expect.poll(() => text(ada, 'l7lb-algorithm-hint-api')).toContain('fewest requests in flight');
    await prefix.focus();
    await expect.poll(() => ada.getByTestId('l7lb-algorithm-api').inputValue()).toBe('least-connections');

    // Sticky sessions on: cookies bind.
    await ada.getByTestId('l7lb-sticky').check();
    await expect
      .poll(() => text(ada, 'l7lb-sessions'), { timeout: 20_000 })
      .toMatch(/^[1-9]\d* sessions bound$/);

    // The keep-alive pool: out of range refused in the panel; 0 stops saving handshakes.
    await expect.poll(() => num(ada, 'l7lb-saved'), { timeout: 20_000 }).toBeGreaterThan(0);
    const size = ada.getByTestId('l7lb-pool-size');
    await size.fill('99');
    await size.press('Enter');
    await expect
      .poll(() => text(ada, 'l7lb-pool-size-error'))
      .toBe('A pool size is a whole number from 0 to 64.');
    expect(await size.inputValue()).toBe('99');
    await size.fill('0');
    await size.press('Enter');
    await expect.poll(() => text(ada, 'l7lb-pool-size-error')).toBe('');
    await prefix.focus();
    await expect.poll(() => size.inputValue()).toBe('0');
    // The field reads 0 as typed at once; the size is in force once the replica has the command: idle connections closed.
    for (const b of ['web-web-1', 'web-web-2', 'api-api-1', 'api-api-2'])
      await expect.poll(() => text(ada, `l7lb-reqs-${b}`), { timeout: 20_000 }).toContain(' 0 idle');
    const savedAt0 = await num(ada, 'l7lb-saved');
    const madeAt0 = await first(ada, 'l7lb-handshakes-web');
    await expect
      .poll(() => first(ada, 'l7lb-handshakes-web'), { timeout: 20_000 })
      .toBeGreaterThan(madeAt0 + 5);
    expect(await num(ada, 'l7lb-saved')).toBe(savedAt0);
    expect(await text(ada, 'l7lb-cpu-busy')).toMatch(/^\d+ %$/);
    expect(await text(ada, 'l7lb-cpu-queue')).toMatch(/^\d+\/200/);
    await ada.screenshot({ path: `${SHOTS}/l7lb-rules-1280.png` });

    // web-1 down: its state says so, its load strip greys, sticky sessions bound to it miss.
    await ada.getByTestId('l7lb-down-web-web-1').click();
    await expect.poll(() => text(ada, 'l7lb-state-web-web-1')).toBe('down (taken out)');
    await expect.poll(async () => (await mapNow(ada)).loads.find((l) => l.id === 'web-1')?.out).toBe(true);
    await expect.poll(() => num(ada, 'l7lb-sticky-misses'), { timeout: 20_000 }).toBeGreaterThan(0);
    // web-2 down too: the web pool refuses, and the map says why at the balancer.
    await ada.getByTestId('l7lb-down-web-web-2').click();
    await expect
      .poll(
        async () =>
          (await mapNow(ada)).badges.some((b) => b.includes('refused: its pool’s backends are down')),
        {
          timeout: 20_000,
        },
      )
      .toBe(true);
    await expect.poll(() => first(ada, 'l7lb-refused'), { timeout: 10_000 }).toBeGreaterThan(0);
    await ada.screenshot({ path: `${SHOTS}/l7lb-down-1280.png` });
    // The / rule deleted: / requests match no rule.
    await ada.locator('[data-testid="l7lb-rule"][data-prefix="/"] [data-testid="l7lb-rule-delete"]').click();
    await expect.poll(() => ada.getByTestId('l7lb-rule').count()).toBe(1);
    await expect
      .poll(
        async () => (await mapNow(ada)).badges.some((b) => b.includes('refused: no rule takes its path')),
        {
          timeout: 20_000,
        },
      )
      .toBe(true);
    await ada.getByTestId('l7lb-panel').evaluate((el) => el.scrollIntoView());
    await ada.screenshot({ path: `${SHOTS}/l7lb-panel-1280.png` });

    // Bob, on a phone, holds the balancer of the second team's network: untouched by Ada.
    expect(await ada.getByTestId('l7lb-rule').count()).toBe(1);
    expect(await bob.getByTestId('l7lb-rule').count()).toBe(1);
    expect(await text(bob, 'l7lb-state-web-web-1')).toBe('taking requests');
    await bob.getByTestId('l7lb-drain-api-api-2').click();
    await expect
      .poll(() => text(bob, 'l7lb-state-api-api-2'), { timeout: 20_000 })
      .toMatch(/^draining: \d+ in flight$|^drained$/);
    await bob.screenshot({ path: `${SHOTS}/l7lb-390.png` });
    await bob.screenshot({ path: `${SHOTS}/l7lb-390-full.png`, fullPage: true });
    expect(e2e.problems).toEqual([]);
  }, 240_000);
});

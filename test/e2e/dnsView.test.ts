import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dnsScenario, lookups, pageLoads } from '../../packages/sim/src/testing/dnsScenario.ts';
import { type E2E, LAPTOP, openLobby, PHONE, SHOTS, startE2E, startRound, text } from './harness.ts';

/**
 * The DNS views in real Chromium against the real server (SPEC VIEW-6..8): a round of a
 * network with page loads, one player at the resolver on a laptop and one on a phone.
 * Each sees the waterfall of their region's page loads, phase by phase, with failed loads
 * saying where and why; the resolver's trends draw; a policy change shows in the
 * waterfall. No lesson has page loads yet, so the server reads a lesson folder of the
 * test's own (SCENARIOS_DIR) holding the DNS reference network.
 */

const LESSON = 'lesson-3-page-loads';

/** The DNS reference network as a lesson: c1 and c2 load www.example (TTL 1 s) and a name pointing at a dead address; c2 also looks that name up. */
function lessonFile(): unknown {
  const file = dnsScenario({
    ttlS: 1,
    traffic: [
      pageLoads('www.example', 1_500),
      pageLoads('www.example', 2_000, { from: 'c2', id: 'page-c2' }),
      pageLoads('zero.example', 4_000, { id: 'page-dead', timeoutMs: 1_500 }),
      // A name never cached (TTL 0): DNS packets on the wire all the time.
      lookups(['zero.example'], 100, { from: 'c2' }),
    ],
  }) as Record<string, unknown>;
  return {
    ...file,
    id: LESSON,
    title: 'Page loads (test)',
    briefing: 'Hold the resolver: every page load starts with a lookup.',
    durationS: 120,
  };
}

let e2e: E2E;

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'roundtrip-lessons-'));
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${LESSON}.json`), JSON.stringify(lessonFile()));
  e2e = await startE2E({ env: { SCENARIOS_DIR: dir } });
});

afterAll(async () => {
  await e2e?.stop();
});

/** The waterfall's rows as the page shows them: name line, bar phases, total, failure. */
function rows(page: Page) {
  return page.getByTestId('waterfall-row').evaluateAll((els) =>
    els.map((el) => ({
      name: el.querySelector('.wf-name')?.textContent ?? '',
      phases: [...el.querySelectorAll('.wf-seg')].map((s) => s.className.replace('wf-seg ', '')),
      widths: [...el.querySelectorAll<HTMLElement>('.wf-seg')].map((s) => s.getBoundingClientRect().width),
      total: el.querySelector('[data-testid="waterfall-total"]')?.textContent ?? '',
      failure: el.querySelector('[data-testid="waterfall-failure"]')?.textContent ?? '',
      label: el.querySelector('.wf-bars')?.getAttribute('aria-label') ?? '',
    })),
  );
}

describe('the DNS views in the browser — SPEC VIEW-6, VIEW-7, VIEW-8', () => {
  it('a round with page loads: players see the waterfall of their region and the resolver trends; a policy change shows in the waterfall', async () => {
    const { host, students } = await openLobby(e2e, { lesson: LESSON, minutes: '2', speed: '0.02' }, [
      { nickname: 'Ada', ...LAPTOP },
      { nickname: 'Bob', ...PHONE },
    ]);
    const [ada, bob] = students as [Page, Page];
    await startRound(host, [ada, bob]);

    // The legend names DNS: page loads look names up.
    expect(await ada.locator('.legend').textContent()).toContain('DNS');
    // DNS packets are diamonds: in slow motion at the start, one out on a link clear of
    // the node cards, close up (it moves on a little before the shot).
    const diamond = await ada.waitForFunction(() => {
      const scene = window.__roundtripGame?.scene.getScene('network') as {
        drawnPackets?: { x: number; y: number; shape: string }[];
        vm?: { frame(nowMs: number): { nodes: { x: number; y: number }[] } };
      } | null;
      const canvas = document.querySelector('.stage canvas')?.getBoundingClientRect();
      const nodes = scene?.vm?.frame(performance.now()).nodes ?? [];
      const p = scene?.drawnPackets?.find(
        (d) => d.shape === 'diamond' && nodes.every((n) => Math.hypot(n.x - d.x, n.y - d.y) > 90),
      );
      return p && canvas ? { x: canvas.left + p.x, y: canvas.top + p.y } : null;
    });
    const at = (await diamond.jsonValue()) as { x: number; y: number };
    await ada.screenshot({
      path: `${SHOTS}/dns-packet.png`,
      clip: { x: Math.max(0, at.x - 120), y: Math.max(0, at.y - 60), width: 240, height: 120 },
    });
    await host.getByTestId('host-round-speed').selectOption('1');

    // Waterfall: completed loads with their five phases, and the dead address failing in connect.
    await ada.getByTestId('waterfall-failure').first().waitFor({ timeout: 20_000 });
    await ada.getByTestId('waterfall-row').nth(4).waitFor();
    const seen = await rows(ada);
    const done = seen.filter((r) => r.failure === '');
    expect(done.length).toBeGreaterThan(0);
    for (const r of done) {
      expect(r.name).toMatch(/^www\.example(c1|c2) · (authority|resolver cache|browser cache)/);
      expect(r.total).toMatch(/^\d[\d,.]* ms$/);
      expect(r.phases.every((p) => /^wf-(dns|connect|tls|request|response)$/.test(p))).toBe(true);
      expect(r.phases.slice(-4)).toEqual(['wf-connect', 'wf-tls', 'wf-request', 'wf-response']);
      expect(r.label).toMatch(/Connect \d.* ms, TLS .* total \d/);
    }
    // A cold load's DNS bar is drawn, and every bar has width.
    const cold = done.find((r) => r.phases[0] === 'wf-dns');
    expect(cold).toBeDefined();
    expect(Math.min(...(cold?.widths ?? [0]))).toBeGreaterThan(0);
    const failed = seen.find((r) => r.failure !== '');
    expect(failed?.failure).toBe('✕ Failed while connecting: DNS pointed at a dead address');
    // Its connect phase waited 1.5 s for nobody: hatched, and cut off at the end of the scale.
    expect(failed?.phases).toEqual(['wf-dns', 'wf-connect wf-seg-failed wf-seg-clipped']);

    // The resolver's trends draw: each sparkline has a line once two seconds were sampled.
    await ada.locator('[data-testid="trend-rate"] polyline').waitFor({ timeout: 10_000 });
    for (const key of ['rate', 'hitRatio', 'p50Ms', 'p95Ms', 'stalePerS']) {
      const points = await ada.locator(`[data-testid="trend-${key}"] polyline`).getAttribute('points');
      expect(points?.split(' ').length ?? 0).toBeGreaterThanOrEqual(2);
    }
    expect(await text(ada, 'trend-hitRatio-value')).toMatch(/^\d+ %$/);
    await ada.screenshot({ path: `${SHOTS}/dns-desktop.png` });
    // The waterfall is docked under the map, not on it; the map keeps most of the height.
    // Both boxes come from one layout: rows keep arriving, and the panel grows (the map
    // shrinks) between two separate reads — under load a row landed between them.
    const { stage, panel } = await ada.evaluate(() => {
      const box = (el: Element | null) => {
        const r = el?.getBoundingClientRect();
        return r ? { x: r.x, y: r.y, width: r.width, height: r.height } : null;
      };
      return {
        stage: box(document.querySelector('.stage')),
        panel: box(document.querySelector('[data-testid="waterfall"]')),
      };
    });
    expect(panel?.y ?? 0).toBeGreaterThanOrEqual((stage?.y ?? 0) + (stage?.height ?? 0) - 1);
    expect((panel?.y ?? 0) + (panel?.height ?? 0)).toBeLessThanOrEqual(721);
    expect(stage?.height ?? 0).toBeGreaterThan(420);
    // Folded, it gives the map its height back; the map redraws to fit.
    await ada.locator('[data-testid="waterfall"] summary').click();
    await ada.waitForFunction(
      (h) => (document.querySelector('.stage canvas')?.getBoundingClientRect().height ?? 0) > h + 100,
      stage?.height ?? 0,
    );
    await ada.locator('[data-testid="waterfall"] summary').click();

    // Ada raises the minimum TTL to a minute: answers stay in the browsers' caches, and the
    // next loads show no DNS bar, their address from the browser cache.
    await ada.getByTestId('resolver-min-ttl').fill('60');
    await ada.getByTestId('resolver-apply').click();
    await ada
      .getByTestId('waterfall-row')
      .filter({ hasText: 'browser cache' })
      .first()
      .waitFor({ timeout: 20_000 });
    const warm = (await rows(ada)).find((r) => r.name.includes('browser cache'));
    expect(warm?.phases[0]).toBe('wf-connect');

    // The host sees every client's loads.
    await host.getByTestId('waterfall-row').first().waitFor();
    expect(await host.locator('.wf-title').textContent()).toBe('Page loads');
    await host.screenshot({ path: `${SHOTS}/dns-host.png` });
    // The resolver's panel, scrolled into view: its trends.
    await ada.getByTestId('resolver-trends').evaluate((el) => el.scrollIntoView({ block: 'end' }));
    await ada.screenshot({ path: `${SHOTS}/dns-desktop-trends.png` });

    // Phone: the map stays on top; the waterfall is folded right under it, and a tap opens it.
    await bob.locator('[data-testid="trend-rate"] polyline').waitFor({ timeout: 10_000 });
    const map = await bob.locator('.stage').boundingBox();
    expect(map?.y ?? 1e9).toBeLessThan(120);
    expect(map?.height ?? 0).toBeGreaterThan(300);
    const wf = bob.getByTestId('waterfall');
    let box = await wf.boundingBox();
    expect(box?.y ?? 0).toBeGreaterThanOrEqual((map?.y ?? 0) + (map?.height ?? 0) - 1);
    expect((box?.y ?? 0) + (box?.height ?? 0)).toBeLessThanOrEqual(844);
    expect(await bob.getByTestId('waterfall-row').first().isVisible()).toBe(false);
    await bob.screenshot({ path: `${SHOTS}/dns-phone.png` });
    await bob.locator('[data-testid="waterfall"] summary').tap();
    await bob.getByTestId('waterfall-row').first().waitFor();
    await bob.getByTestId('waterfall-failure').first().waitFor({ timeout: 10_000 });
    box = await wf.boundingBox();
    expect((box?.x ?? 0) + (box?.width ?? 1e9)).toBeLessThanOrEqual(390);
    expect(await bob.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    // The map did not move or shrink.
    expect(await bob.locator('.stage').boundingBox()).toEqual(map);
    await wf.scrollIntoViewIfNeeded();
    await bob.screenshot({ path: `${SHOTS}/dns-phone-waterfall.png` });
    await bob.getByTestId('resolver-trends').scrollIntoViewIfNeeded();
    await bob.screenshot({ path: `${SHOTS}/dns-phone-trends.png` });

    // The round ends: the results replace the round screen (and its waterfall) without an error.
    await host.getByTestId('host-end').click();
    await host.getByTestId('host-end').filter({ hasText: 'Click again' }).waitFor();
    await host.getByTestId('host-end').click();
    for (const page of [ada, bob]) await page.getByTestId('results-table').waitFor();
    expect(await ada.getByTestId('waterfall').count()).toBe(0);

    expect(e2e.problems).toEqual([]);
  });
});

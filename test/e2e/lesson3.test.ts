import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type E2E, LAPTOP, openLobby, PHONE, SHOTS, startE2E, startRound, text } from './harness.ts';

/**
 * Lesson 3 ("What happens when you type a URL") in real Chromium against the real
 * server: a host picks expert bots for the empty seats, a player on a laptop holds the
 * home router and one on a phone the ISP resolver. The resolver's player stops caching
 * (max TTL 0): every page load now waits for the name server, and the page-load figures
 * on every page show it (SPEC MET-2, DNS-16, ROOM-12).
 */

let e2e: E2E;

beforeAll(async () => {
  e2e = await startE2E();
});

afterAll(async () => {
  await e2e?.stop();
});

/** The page-load p50 the page's HUD shows, ms (0 before any load). */
const pageP50 = async (page: Page) => Number((await text(page, 'hud-page-p50')).trim() || 0);

describe('lesson 3 in the browser', () => {
  it('the resolver’s player stops caching and every page’s page-load figures show the extra round trip', async () => {
    // The lesson's bots can play at three levels; the host picks experts for the empty seat.
    const { host, students } = await openLobby(
      e2e,
      { lesson: 'lesson-3-url', bots: 'expert', minutes: '1', speed: '0.5' },
      [
        { nickname: 'Ada', ...LAPTOP },
        { nickname: 'Bob', ...PHONE },
      ],
      {
        beforeCreate: async (host) => {
          expect(await text(host, 'host-lesson-summary')).toMatch(
            /^Three browsers load web pages by name, step by step in slow motion\./,
          );
          const levels = await host.getByTestId('host-bots').locator('option').allTextContents();
          expect(levels).toEqual([
            'Lesson default',
            'Novice — slow, makes mistakes',
            'Competent — the lesson’s policy',
            'Expert — adapts to what happens',
          ]);
          await host.screenshot({ path: `${SHOTS}/lesson3-landing-host.png` });
        },
      },
    );
    const [ada, bob] = students as [Page, Page];
    const lobby = host.getByTestId('lobby-players');
    expect(await lobby.textContent()).toContain('r-home');
    expect(await lobby.textContent()).toContain('res');
    await startRound(host, [ada, bob]);
    expect(await text(ada, 'player-role')).toContain('r-home');
    expect(await text(bob, 'player-role')).toContain('res');

    // Lesson 3 has no calls: the HUD shows web requests and whole page loads.
    for (const page of [host, ada, bob]) {
      expect(await page.getByTestId('hud-udp').count()).toBe(0);
      await page.getByTestId('hud-page').waitFor();
    }
    // Warm: most lookups are resolver cache hits; every page shows the same loads.
    await host.waitForFunction(
      () => Number(document.querySelector('[data-testid="hud-page-p50"]')?.textContent || 0) > 0,
      null,
      { timeout: 20_000 },
    );
    await bob.getByTestId('resolver-panel').waitFor();
    await ada.screenshot({ path: `${SHOTS}/lesson3-player-desktop.png` });
    await bob.screenshot({ path: `${SHOTS}/lesson3-resolver-phone.png` });
    await bob.screenshot({ path: `${SHOTS}/lesson3-resolver-phone-full.png`, fullPage: true });
    await host.screenshot({ path: `${SHOTS}/lesson3-host.png` });
    // The first, cold lookups all miss: wait (on a slow machine too) until the cache carries the load.
    await bob.waitForFunction(
      () => {
        const t = document.querySelector('[data-testid="resolver-hit-ratio"]')?.textContent ?? '';
        return t.endsWith('%') && Number(t.replace(/\D/g, '')) > 50;
      },
      null,
      { timeout: 60_000 },
    );
    const hitBefore = Number((await text(bob, 'resolver-hit-ratio')).replace(/\D/g, ''));

    // Read once the first, cold lookups have left the median.
    const warm = await pageP50(host);
    console.log(`page-load p50 with the cache: ${warm} ms`);
    // The resolver's player keeps nothing: max TTL 0 (TTL 0 is never cached), and flushes.
    await bob.getByTestId('resolver-max-ttl').fill('0');
    await bob.getByTestId('resolver-min-ttl').fill('0');
    await bob.getByTestId('resolver-apply').click();
    await bob.getByTestId('resolver-flush').click();
    await bob.waitForFunction(
      () => document.querySelector('[data-testid="resolver-cache-size"]')?.textContent === '0',
    );

    // Every page load now waits for the name server: about 60 ms more, on every page's figures.
    for (const page of [host, ada, bob])
      await page.waitForFunction(
        (before) =>
          Number(document.querySelector('[data-testid="hud-page-p50"]')?.textContent || 0) >= before + 30,
        warm,
        { timeout: 30_000 },
      );
    const cold = await Promise.all([host, ada, bob].map(pageP50));
    console.log(`page-load p50 without the cache (host, ada, bob): ${cold.join(', ')} ms`);
    const hitAfter = Number((await text(bob, 'resolver-hit-ratio')).replace(/\D/g, ''));
    expect(hitAfter).toBeLessThan(hitBefore);
    await host.screenshot({ path: `${SHOTS}/lesson3-host-cold.png` });
    await ada.screenshot({ path: `${SHOTS}/lesson3-player-desktop-cold.png` });
    await bob.screenshot({ path: `${SHOTS}/lesson3-resolver-phone-cold.png` });

    // The round ends by itself; the results show both players.
    for (const page of [host, ada, bob])
      await page.getByTestId('results-table').filter({ hasText: 'Bob' }).waitFor({ timeout: 150_000 });
    await host.screenshot({ path: `${SHOTS}/lesson3-results-host.png`, fullPage: true });
    expect(e2e.problems).toEqual([]);
  }, 240_000);
});

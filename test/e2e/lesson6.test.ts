import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type E2E, LAPTOP, openLobby, PHONE, SHOTS, startE2E, startRound, text } from './harness.ts';

/**
 * Lesson 6 ("Traffic cops") in real Chromium against the real server, at real time, one
 * team: Ada (laptop) holds the chat balancer (L4), Bob (phone) the shop's (L7). The chat
 * balancer starts without connection tracking, so round robin moves every chat's packets
 * between servers and the chats break. Ada turns tracking on and picks least
 * connections: the chats stop breaking, on her page and the host's. Bob reads /api going
 * to the API pool, sends /products there too and raises the keep-alive pool: the API pool
 * takes more, and handshakes are saved (SPEC LB-L4-2, LB-L4-4, LB-UI-1, LB-L7-2, LB-L7-5,
 * MET-2).
 */

let e2e: E2E;
beforeAll(async () => {
  e2e = await startE2E();
});
afterAll(async () => {
  await e2e?.stop();
});

const lesson6 = JSON.parse(
  readFileSync(resolve(import.meta.dirname, '../../scenarios/lesson-6-traffic-cops.json'), 'utf8'),
);

/** A figure's first number ("12 done · 0 failed" → 12). */
const first = async (page: Page, testid: string) =>
  Number((await text(page, testid)).match(/\d+/)?.[0] ?? NaN);

const num = async (page: Page, testid: string) => Number((await text(page, testid)).replace(/[^\d.]/g, ''));

describe('lesson 6 in the browser', () => {
  it('LB-L4-2, LB-L4-4, LB-L7-2, LB-L7-5: untracked chats break until Ada tracks them; Bob splits paths and pools connections', async () => {
    const { host, students } = await openLobby(
      e2e,
      { lesson: 'lesson-6-traffic-cops', speed: '1' },
      [
        { nickname: 'Ada', ...LAPTOP },
        { nickname: 'Bob', ...PHONE },
      ],
      {
        beforeCreate: async (host) => {
          expect(await text(host, 'host-lesson-summary')).toMatch(/^Four people chat:/);
        },
      },
    );
    const [ada, bob] = students as [Page, Page];
    await startRound(host, [ada, bob]);
    await ada.getByTestId('l4lb-panel').waitFor();
    await bob.getByTestId('l7lb-panel').waitFor();
    expect(await text(ada, 'player-role')).toContain('chat-lb');
    expect(await text(bob, 'player-role')).toContain('shop-lb');
    // Bob's rules: / to the frontend, /api to the API servers; sticky baskets on.
    expect(await bob.getByTestId('l7lb-rule').count()).toBe(2);
    expect(await bob.getByTestId('l7lb-sticky').isChecked()).toBe(true);
    expect(await ada.getByTestId('l4lb-tracking').isChecked()).toBe(false);
    // SPEC VIEW-15: on the phone, Chat 1 fills the map's top-right corner, so the button floats
    // in another corner of the map; on the laptop that corner is clear and keeps it.
    for (const [page, topRight] of [
      [bob, false],
      [ada, true],
    ] as const) {
      const map = await page.locator('.stage').boundingBox();
      const button = await page.getByTestId('inspect-next').boundingBox();
      if (!map || !button) throw new Error('no map or no button');
      expect(button.x).toBeGreaterThanOrEqual(map.x);
      expect(button.y + button.height).toBeLessThanOrEqual(map.y + map.height);
      expect(button.x + button.width / 2 > map.x + map.width / 2 && button.y < map.y + map.height / 2).toBe(
        topRight,
      );
    }

    // Untracked, round robin sends a chat's second packet to another server: chats break,
    // counted in each player's panel; the host's figures show requests failing.
    await expect.poll(() => num(ada, 'l4lb-broken'), { timeout: 20_000 }).toBeGreaterThan(3);
    await expect.poll(() => num(host, 'hud-tcp-failed'), { timeout: 20_000 }).toBeGreaterThan(20);
    await ada.screenshot({ path: `${SHOTS}/lesson6-untracked-1280.png` });

    // Ada: tracking on, least connections.
    // A click sends the command; the box follows the server's answer (the panel redraws it from the view).
    await ada.getByTestId('l4lb-tracking').click();
    await ada.getByTestId('l4lb-algorithm').selectOption('least-connections');
    await expect.poll(() => ada.getByTestId('l4lb-tracking').isChecked()).toBe(true);

    // Chats opened from now on stay pinned: the broken counts stop growing…
    await ada.waitForTimeout(2_000);
    const adaBroken = await num(ada, 'l4lb-broken');
    await ada.waitForTimeout(8_000);
    expect(await num(ada, 'l4lb-broken')).toBe(adaBroken);
    // …and once the failures leave the 10 s window, each page's figures show the chats working.
    await expect.poll(() => num(ada, 'hud-tcp-failed'), { timeout: 20_000 }).toBeLessThan(5);
    await expect.poll(() => num(host, 'hud-tcp-failed'), { timeout: 20_000 }).toBeLessThan(5);

    // Bob sends /products to the API pool too and keeps 4 idle connections per server.
    const apiBefore = await first(bob, 'l7lb-requests-api');
    await bob.getByTestId('l7lb-rule-prefix').fill('/products');
    await bob.getByTestId('l7lb-rule-pool').selectOption('api');
    await bob.getByTestId('l7lb-rule-add').click();
    await expect.poll(() => bob.getByTestId('l7lb-rule').count()).toBe(3);
    await bob.getByTestId('l7lb-pool-size').fill('4');
    await bob.getByTestId('l7lb-pool-size').press('Enter');
    await expect.poll(() => num(bob, 'l7lb-saved'), { timeout: 20_000 }).toBeGreaterThan(10);
    await expect
      .poll(() => first(bob, 'l7lb-requests-api'), { timeout: 20_000 })
      .toBeGreaterThan(apiBefore + 30);
    await bob.getByTestId('l7lb-cpu-busy').scrollIntoViewIfNeeded();
    expect(await text(ada, 'l4lb-open')).toMatch(/^[1-9]/);
    await ada.screenshot({ path: `${SHOTS}/lesson6-tracked-1280.png` });
    await bob.screenshot({ path: `${SHOTS}/lesson6-shop-390.png` });
    await bob.screenshot({ path: `${SHOTS}/lesson6-shop-390-full.png`, fullPage: true });
    await host.screenshot({ path: `${SHOTS}/lesson6-host-1280.png` });

    // The host ends the round early: the debrief names the concept behind the broken chats.
    await host.getByTestId('host-end').click();
    await host.getByTestId('host-end').filter({ hasText: 'Click again' }).waitFor();
    await host.getByTestId('host-end').click();
    for (const page of [host, ada, bob]) {
      await page.getByTestId('debrief').waitFor({ timeout: 30_000 });
      expect(await text(page, 'debrief-summary')).toBe(lesson6.debrief.summary);
      expect(await text(page, 'failures-by-reason')).toContain(lesson6.debrief.concepts['conn-moved']);
      // SPEC DEBRIEF-2: the chats' later messages failed on a connection already broken; no server changed address.
      expect(await text(page, 'failures-by-reason')).not.toContain('address changed');
    }
    await ada.screenshot({ path: `${SHOTS}/lesson6-debrief-1280.png`, fullPage: true });
    await ada
      .getByTestId('failures-by-reason')
      .screenshot({ path: `${SHOTS}/lesson6-debrief-reasons-1280.png` });
    await bob.screenshot({ path: `${SHOTS}/lesson6-debrief-390.png`, fullPage: true });
    expect(e2e.problems).toEqual([]);
  }, 180_000);
});

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type E2E, LAPTOP, openLobby, PHONE, SHOTS, startE2E, startRound, text } from './harness.ts';

/**
 * Lesson 6 ("Traffic cops") in real Chromium against the real server, at real time. The
 * chat balancer (L4) starts without connection tracking, so round robin moves every
 * chat's packets between servers and the chats break. Ada (laptop) turns tracking on and
 * picks least connections: her chats stop breaking, on her page and the host's. Bob
 * (phone, the second team's network) picks Maglev instead: a hash finds each chat's server
 * again without tracking (SPEC LB-L4-2, LB-L4-4, LB-UI-1, MET-2).
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

const num = async (page: Page, testid: string) => Number((await text(page, testid)).replace(/[^\d.]/g, ''));

describe('lesson 6 in the browser', () => {
  it('LB-L4-2, LB-L4-4: untracked chats break; tracking (Ada) or a hash (Bob) keeps them pinned, seen on every page', async () => {
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
    for (const p of [ada, bob]) await p.getByTestId('l4lb-panel').waitFor();
    expect(await text(ada, 'player-role')).toContain('chat-lb');
    expect(await ada.getByTestId('l4lb-tracking').isChecked()).toBe(false);

    // Untracked, round robin sends a chat's second packet to another server: chats break,
    // counted in each player's panel; the host's figures show requests failing.
    await expect.poll(() => num(ada, 'l4lb-broken'), { timeout: 20_000 }).toBeGreaterThan(3);
    await expect.poll(() => num(bob, 'l4lb-broken'), { timeout: 20_000 }).toBeGreaterThan(3);
    await expect.poll(() => num(host, 'hud-tcp-failed'), { timeout: 20_000 }).toBeGreaterThan(20);
    await ada.screenshot({ path: `${SHOTS}/lesson6-untracked-1280.png` });

    // Ada: tracking on, least connections. Bob: Maglev, tracking left off.
    // A click sends the command; the box follows the server's answer (the panel redraws it from the view).
    await ada.getByTestId('l4lb-tracking').click();
    await ada.getByTestId('l4lb-algorithm').selectOption('least-connections');
    await bob.getByTestId('l4lb-algorithm').selectOption('maglev');
    await expect.poll(() => ada.getByTestId('l4lb-tracking').isChecked()).toBe(true);
    await expect.poll(() => text(bob, 'l4lb-algorithm-hint')).toMatch(/Table size \d+\.$/);
    expect(await bob.getByTestId('l4lb-tracking').isChecked()).toBe(false);

    // Chats opened from now on stay pinned: the broken counts stop growing…
    await ada.waitForTimeout(2_000);
    const [adaBroken, bobBroken] = [await num(ada, 'l4lb-broken'), await num(bob, 'l4lb-broken')];
    await ada.waitForTimeout(8_000);
    expect(await num(ada, 'l4lb-broken')).toBe(adaBroken);
    expect(await num(bob, 'l4lb-broken')).toBe(bobBroken);
    // …and once the failures leave the 10 s window, each page's figures show the chats working.
    await expect.poll(() => num(ada, 'hud-tcp-failed'), { timeout: 20_000 }).toBeLessThan(5);
    await expect.poll(() => num(bob, 'hud-tcp-failed'), { timeout: 20_000 }).toBeLessThan(5);
    expect(await text(ada, 'l4lb-open')).toMatch(/^[1-9]/);
    await ada.screenshot({ path: `${SHOTS}/lesson6-tracked-1280.png` });
    await bob.screenshot({ path: `${SHOTS}/lesson6-maglev-390.png` });
    await bob.screenshot({ path: `${SHOTS}/lesson6-maglev-390-full.png`, fullPage: true });
    await host.screenshot({ path: `${SHOTS}/lesson6-host-1280.png` });

    // The host ends the round early: the debrief names the concept behind the broken chats.
    await host.getByTestId('host-end').click();
    await host.getByTestId('host-end').filter({ hasText: 'Click again' }).waitFor();
    await host.getByTestId('host-end').click();
    for (const page of [host, ada, bob]) {
      await page.getByTestId('debrief').waitFor({ timeout: 30_000 });
      expect(await text(page, 'debrief-summary')).toBe(lesson6.debrief.summary);
      expect(await text(page, 'failures-by-reason')).toContain(lesson6.debrief.concepts['conn-moved']);
    }
    await ada.screenshot({ path: `${SHOTS}/lesson6-debrief-1280.png`, fullPage: true });
    await ada
      .getByTestId('failures-by-reason')
      .screenshot({ path: `${SHOTS}/lesson6-debrief-reasons-1280.png` });
    await bob.screenshot({ path: `${SHOTS}/lesson6-debrief-390.png`, fullPage: true });
    expect(e2e.problems).toEqual([]);
  }, 180_000);
});

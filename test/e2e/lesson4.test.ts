import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type E2E, LAPTOP, openLobby, PHONE, SHOTS, startE2E, startRound, text } from './harness.ts';

/**
 * Lesson 4 ("Keep-alive") in real Chromium against the real server, at real time. Each of
 * the two players holds the edge balancer (L7) of their own team's network. Its
 * keep-alive pool to the web servers starts at 0: every request opens a connection to a
 * server and saves no handshake. Ada (laptop) raises the pool and picks least
 * connections; her balancer saves a handshake on almost every request, on her page and
 * the host's. Bob (phone) leaves the pool at 0: his saves none (SPEC LB-L7-5, LB-L7-7,
 * LB-L7-9, KA-1).
 */

let e2e: E2E;
beforeAll(async () => {
  e2e = await startE2E();
});
afterAll(async () => {
  await e2e?.stop();
});

const num = async (page: Page, testid: string) => Number((await text(page, testid)).replace(/[^\d.]/g, ''));

describe('lesson 4 in the browser', () => {
  it('LB-L7-5, LB-L7-9: a keep-alive pool saves the servers a handshake per request; at 0 it saves none', async () => {
    const { host, students } = await openLobby(
      e2e,
      { lesson: 'lesson-4-keep-alive', speed: '1' },
      [
        { nickname: 'Ada', ...LAPTOP },
        { nickname: 'Bob', ...PHONE },
      ],
      {
        beforeCreate: async (host) => {
          expect(await text(host, 'host-lesson-summary')).toMatch(
            /^Every page is a string of small requests\./,
          );
        },
      },
    );
    const [ada, bob] = students as [Page, Page];
    await startRound(host, [ada, bob]);
    for (const p of [ada, bob]) await p.getByTestId('l7lb-panel').waitFor();
    expect(await text(ada, 'player-role')).toContain('edge');
    for (const p of [ada, bob]) expect(await p.getByTestId('l7lb-pool-size').inputValue()).toBe('0');

    // Pool size 0: requests flow, and every one of them opened its own connection to a server.
    await expect.poll(() => num(ada, 'l7lb-routed'), { timeout: 20_000 }).toBeGreaterThan(20);
    expect(await num(ada, 'l7lb-saved')).toBe(0);
    await ada.screenshot({ path: `${SHOTS}/lesson4-pool0-1280.png` });

    // Ada keeps up to 4 idle connections per server and balances by requests in flight.
    await ada.getByTestId('l7lb-pool-size').fill('4');
    await ada.getByTestId('l7lb-pool-size').press('Enter');
    await ada.getByTestId('l7lb-algorithm-web').selectOption('least-connections');
    await expect.poll(() => ada.getByTestId('l7lb-algorithm-web').inputValue()).toBe('least-connections');
    // A size out of range is refused in the panel, beside the field (Bob's, which he then leaves at 0).
    await bob.getByTestId('l7lb-pool-size').fill('99');
    await bob.getByTestId('l7lb-pool-size').press('Enter');
    await expect.poll(() => text(bob, 'l7lb-pool-size-error')).not.toBe('');

    // From now on Ada's requests mostly reuse a warm connection; Bob's never do.
    const routed0 = await num(ada, 'l7lb-routed');
    await expect.poll(() => num(ada, 'l7lb-routed'), { timeout: 30_000 }).toBeGreaterThan(routed0 + 60);
    const saved = await num(ada, 'l7lb-saved');
    const routed = (await num(ada, 'l7lb-routed')) - routed0;
    expect(saved).toBeGreaterThan(routed * 0.8);
    expect(await num(bob, 'l7lb-saved')).toBe(0);
    expect(await num(bob, 'l7lb-routed')).toBeGreaterThan(60);
    await ada.screenshot({ path: `${SHOTS}/lesson4-pool4-1280.png` });
    await ada.getByTestId('l7lb-pool-web').evaluate((el) => el.scrollIntoView());
    await ada.screenshot({ path: `${SHOTS}/lesson4-pool4-backends-1280.png` });
    await bob.screenshot({ path: `${SHOTS}/lesson4-pool0-390.png` });
    await bob.screenshot({ path: `${SHOTS}/lesson4-pool0-390-full.png`, fullPage: true });
    await host.screenshot({ path: `${SHOTS}/lesson4-host-1280.png` });
    expect(e2e.problems).toEqual([]);
  }, 180_000);
});

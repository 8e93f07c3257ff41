import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type E2E, LAPTOP, openLobby, PHONE, SHOTS, startE2E, startRound, text } from './harness.ts';

/**
 * Lesson 5 ("The phone book") in real Chromium against the real server: a host and two
 * players, each holding one of the two anycast resolvers. Before DC West goes dark (25 s),
 * Ada (West DNS, desktop) answers the West region by failover and lowers the maximum
 * TTL to 5 s; the South region keeps latency-based answers. When the data centre goes dark
 * West's browsers stop failing within the health check's time plus the TTL, while South's
 * keep knocking on the dead address: the waterfall of every page and the figures show it
 * (SPEC GSLB-1, GSLB-5, GSLB-7, DC-3, VIEW-7, DNS-16).
 */

let e2e: E2E;

beforeAll(async () => {
  e2e = await startE2E();
});

afterAll(async () => {
  await e2e?.stop();
});

/** Each waterfall row on the page: its text and whether it failed as dead-address. */
const rows = (page: Page) =>
  page.getByTestId('waterfall-row').evaluateAll((els) =>
    els.map((el) => ({
      text: el.textContent ?? '',
      dead: el.classList.contains('wf-failed') && (el.textContent ?? '').includes('dead address'),
    })),
  );

const figure = async (page: Page, testid: string) =>
  Number((await text(page, testid)).replace(/[^\d.]/g, ''));

describe('lesson 5 in the browser', () => {
  it('failover and a low TTL set before the outage recover West; South, left on latency, keeps failing', async () => {
    const { host, students } = await openLobby(
      e2e,
      { lesson: 'lesson-5-phonebook' },
      [
        { nickname: 'Ada', ...LAPTOP },
        { nickname: 'Bob', ...PHONE },
      ],
      {
        beforeCreate: async (host) => {
          expect(await text(host, 'host-lesson-summary')).toMatch(
            /^Browsers in three regions load a shop's home page by name\./,
          );
          // The lesson's own speed is the default (½×); real time keeps this test short.
          expect(await host.getByTestId('host-speed').locator('option:checked').textContent()).toContain(
            'lesson default',
          );
          await host.getByTestId('host-speed').selectOption('1');
          await host.screenshot({ path: `${SHOTS}/lesson5-landing-host.png` });
        },
      },
    );
    const [ada, bob] = students as [Page, Page];
    await startRound(host, [ada, bob]);
    expect(await text(ada, 'player-role')).toContain('res-w');
    expect(await text(bob, 'player-role')).toContain('res-e');
    await ada.getByTestId('resolver-panel').waitFor();
    await bob.getByTestId('resolver-panel').waitFor();

    // Ada, before the outage: failover for West (DC West first, then DC East), max TTL 5 s.
    await ada.getByTestId('resolver-answer-region').selectOption('west');
    await ada.getByTestId('resolver-answer-policy').selectOption('failover');
    await ada.getByTestId('resolver-order-0').selectOption('dc-west');
    await ada.getByTestId('resolver-order-1').selectOption('dc-east');
    await ada.getByTestId('resolver-answer-apply').click();
    await ada
      .getByTestId('resolver-answers')
      .filter({ hasText: 'West — failover: DC West → DC East' })
      .waitFor();
    await ada.getByTestId('resolver-max-ttl').fill('5');
    await ada.getByTestId('resolver-apply').click();
    await ada.screenshot({ path: `${SHOTS}/lesson5-resolver-desktop.png` });
    await bob.screenshot({ path: `${SHOTS}/lesson5-resolver-phone.png` });
    await bob.screenshot({ path: `${SHOTS}/lesson5-resolver-phone-full.png`, fullPage: true });

    // The outage: Ada's health checks mark DC West down, and answers naming it are counted.
    await ada.getByTestId('resolver-health-dc-west').filter({ hasText: 'down' }).waitFor({ timeout: 60_000 });
    expect(await text(ada, 'resolver-health-dc-west')).toContain('dark');
    // Browsers holding West's address fail as dead-address, on the host's waterfall (every region).
    await host.waitForFunction(
      () =>
        [...document.querySelectorAll('[data-testid="waterfall-failure"]')].some((e) =>
          (e.textContent ?? '').includes('dead address'),
        ),
      null,
      { timeout: 30_000 },
    );
    // West's browsers holding DC West's address fail too (on Ada's waterfall, her region's)…
    await ada.waitForFunction(
      () =>
        [...document.querySelectorAll('[data-testid="waterfall-failure"]')].some((e) =>
          (e.textContent ?? '').includes('dead address'),
        ),
      null,
      { timeout: 30_000 },
    );
    // …then recover during the outage: Ada's waterfall fills with completed loads (from DC East).
    await ada.waitForFunction(
      () => {
        const all = [...document.querySelectorAll('[data-testid="waterfall-row"]')];
        const dark = (
          document.querySelector('[data-testid="resolver-health-dc-west"]')?.textContent ?? ''
        ).includes('dark');
        return dark && all.length >= 6 && all.every((r) => !r.classList.contains('wf-failed'));
      },
      null,
      { timeout: 40_000 },
    );
    // Meanwhile South (latency-based: the nearest is the dark DC West) still fails on the host's
    // waterfall, which shows every region, while West's rows there load from DC East.
    await host.waitForFunction(
      () => {
        const all = [...document.querySelectorAll('[data-testid="waterfall-row"]')].map((r) => ({
          text: r.textContent ?? '',
          dead: r.classList.contains('wf-failed') && (r.textContent ?? '').includes('dead address'),
        }));
        return (
          all.some((r) => r.dead && r.text.includes('South')) &&
          all.some((r) => !r.dead && r.text.includes('West')) &&
          all.every((r) => !r.dead || r.text.includes('South'))
        );
      },
      null,
      { timeout: 20_000 },
    );
    expect(await text(ada, 'resolver-health-dc-west')).toContain('dark');
    // East's browsers (Bob's region) never met the dark data centre.
    expect((await rows(bob)).some((r) => r.dead)).toBe(false);
    // The figures: dead answers counted at Ada's resolver (South's), page loads failed on every page.
    expect(await figure(ada, 'resolver-dead-answers')).toBeGreaterThan(0);
    for (const page of [host, ada, bob]) expect(await figure(page, 'hud-page-failed')).toBeGreaterThan(0);
    // The low TTL's price: West's browsers come back to Ada's resolver far more often than
    // East's, on the service's 20 s, come to Bob's.
    const [adaRate, bobRate] = [await figure(ada, 'resolver-rate'), await figure(bob, 'resolver-rate')];
    console.log(`answers/s: West DNS (max TTL 5 s) ${adaRate}, East DNS (20 s) ${bobRate}`);
    expect(adaRate).toBeGreaterThan(2 * bobRate);
    await host.screenshot({ path: `${SHOTS}/lesson5-host-outage.png` });
    await ada.screenshot({ path: `${SHOTS}/lesson5-player-desktop-outage.png` });
    await bob.screenshot({ path: `${SHOTS}/lesson5-resolver-phone-outage.png` });
    await bob.screenshot({ path: `${SHOTS}/lesson5-resolver-phone-outage-full.png`, fullPage: true });

    // The round ends by itself; the debrief names the concept behind the dead addresses.
    for (const page of [host, ada, bob])
      await page.getByTestId('results-table').filter({ hasText: 'Bob' }).waitFor({ timeout: 120_000 });
    await host
      .getByText(/a stale answer lives until its TTL runs out/)
      .first()
      .waitFor({ timeout: 30_000 });
    await host.screenshot({ path: `${SHOTS}/lesson5-results-host.png`, fullPage: true });
    expect(e2e.problems).toEqual([]);
  }, 300_000);
});

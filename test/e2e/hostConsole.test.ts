import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type E2E, LAPTOP, openLobby, PHONE, SHOTS, sendJoin, startE2E, text } from './harness.ts';

/**
 * The host console and the projector view in real Chromium against the real server
 * (SPEC HOST-1..9): a host locks the room, renames and removes players, pauses and
 * steps, injects faults, opens the projector at 1920×1080, ends the round and starts
 * the next lesson in the same room with everyone still joined.
 */

let e2e: E2E;
beforeAll(async () => {
  e2e = await startE2E();
});
afterAll(async () => {
  await e2e?.stop();
});

/** Opens the host's editor for `nickname`. */
async function manage(host: Page, nickname: string): Promise<void> {
  await host.getByTestId(`manage-${nickname}`).first().click();
  await host.getByTestId('manage-title').filter({ hasText: nickname }).waitFor();
}

/** The smallest font size of any visible text on the page, px, and that text. */
const smallestText = (page: Page) =>
  page.evaluate(() => {
    let min = Number.POSITIVE_INFINITY;
    let what = '';
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      if (!el || !n.textContent?.trim()) continue;
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0 || el.closest('[hidden]')) continue;
      const px = Number.parseFloat(getComputedStyle(el).fontSize);
      if (px < min) {
        min = px;
        what = n.textContent.trim();
      }
    }
    return { px: min, what };
  });

/** Every visible text on the projector is at least 28 px (SPEC HOST-9). */
async function expectReadable(page: Page): Promise<void> {
  const smallest = await smallestText(page);
  expect(smallest.px, `"${smallest.what}"`).toBeGreaterThanOrEqual(28);
}

describe('the host console in the browser', () => {
  it('HOST-1..9: lock, rename, kick, step, faults, projector at 1920×1080, next round in the same room', async () => {
    const { host, code, students } = await openLobby(
      e2e,
      { lesson: 'lesson-1-postal', minutes: '3', speed: '0.5' },
      [
        { nickname: 'Ann', ...LAPTOP },
        { nickname: 'Bobby Tables', ...PHONE },
      ],
    );
    const [ann, bob] = students as [Page, Page];

    // HOST-1: locked, a newcomer is told why; unlocked, they get in.
    await host.getByTestId('host-lock').click();
    await host.getByTestId('host-lock').filter({ hasText: 'Unlock room' }).waitFor();
    const cy = await e2e.openPage(1280, 720, 'cy');
    await sendJoin(cy, code, 'Cy');
    await cy.getByTestId('join-error').filter({ hasText: 'locked' }).waitFor();
    await host.getByTestId('host-lock').click();
    await host.getByTestId('host-lock').filter({ hasText: 'Lock room' }).waitFor();
    await cy.getByTestId('join-submit').click();
    await cy.getByTestId('banner').filter({ hasText: 'waiting for the host' }).waitFor();

    // HOST-3: the host renames a player; their own page follows.
    await manage(host, 'Bobby Tables');
    await host.getByTestId('manage-nickname').fill('Bob');
    await host.getByTestId('manage-rename').click();
    await host.getByTestId('host-player-Bob').waitFor();
    await bob.getByTestId('player-role').filter({ hasText: 'Bob ·' }).waitFor();
    // HOST-4: Bob moves to a second team; his page follows.
    await host.getByTestId('manage-seat').selectOption('1/r-west');
    await host.getByTestId('manage-move').click();
    await host.getByTestId('host-player-Bob').filter({ hasText: 'Team 2' }).waitFor();
    await bob.getByTestId('player-role').filter({ hasText: 'Team 2' }).waitFor();
    await host.getByTestId('manage-close').click();
    await host.screenshot({ path: `${SHOTS}/console-lobby-host.png` });

    // HOST-9: the projector opens from the console, in a window of its own, read-only.
    const [projector] = await Promise.all([
      host.context().waitForEvent('page'),
      host.getByTestId('host-projector').click(),
    ]);
    await projector.setViewportSize({ width: 1920, height: 1080 });
    projector.on('pageerror', (e) => e2e.problems.push(`projector: page error: ${e.message}`));
    await projector.getByTestId('projector-code').filter({ hasText: code }).waitFor();
    await projector.getByTestId('projector-joined').filter({ hasText: 'Cy' }).waitFor();
    await expectReadable(projector);
    await projector.screenshot({ path: `${SHOTS}/projector-lobby-1920.png` });

    await host.getByTestId('host-start').click();
    await host.getByTestId('host-panel').waitFor();
    await ann.getByTestId('phase').filter({ hasText: 'LIVE' }).waitFor();

    // HOST-2: Cy is removed mid-round, reads why, and cannot come back.
    await manage(host, 'Cy');
    // Removing asks once more; the question is not there before.
    expect(await host.getByTestId('manage-kick-confirm').isVisible()).toBe(false);
    await host.getByTestId('manage-kick').click();
    await host.getByTestId('manage-kick-confirm').filter({ hasText: 'Remove Cy for good' }).click();
    await cy
      .getByTestId('disconnected')
      .filter({ hasText: 'The host removed you from this round.' })
      .waitFor()
      .catch(async (e: unknown) => {
        await cy.screenshot({ path: `${SHOTS}/debug-cy.png` });
        await host.screenshot({ path: `${SHOTS}/debug-host.png` });
        throw e;
      });
    await host.getByTestId('host-player-Cy').waitFor({ state: 'detached' });
    await cy.goto(`${e2e.base}/?code=${code}`);
    await sendJoin(cy, code, 'Cy');
    await cy.getByTestId('join-error').filter({ hasText: 'removed you' }).waitFor();
    await sendJoin(cy, code, 'Not Cy');
    await cy.getByTestId('join-error').filter({ hasText: 'removed you' }).waitFor();

    // HOST-9: the projector shows the network with its timer and leaderboard, large.
    await projector.getByTestId('projector-stage').waitFor();
    await projector.getByTestId('projector-team').filter({ hasText: 'Team 1' }).waitFor();
    await projector.getByTestId('projector-leaderboard-players').filter({ hasText: 'Ann' }).waitFor();
    await projector.getByTestId('projector-leaderboard-teams').filter({ hasText: 'Team 2' }).waitFor();
    await expectReadable(projector);

    // HOST-6: a loss burst and a failed link.
    await host.getByTestId('host-link').selectOption('l-west');
    await host.getByTestId('host-burst').click();
    await host.getByTestId('host-link').selectOption('l-west-north');
    await host.getByTestId('host-link-toggle').click();
    await host.getByTestId('host-link-toggle').filter({ hasText: 'Restore' }).waitFor();
    await projector.waitForFunction(
      () =>
        ((window.__roundtripGame?.scene.getScene('network') as { packetsDrawn?: number } | null)
          ?.packetsDrawn ?? 0) > 0,
      null,
      { timeout: 20_000 },
    );
    await projector.waitForTimeout(1_500);
    await projector.screenshot({ path: `${SHOTS}/projector-round-1920.png` });
    // Every team in turn: Team 2's network comes up by itself, and its packets are drawn.
    await projector.getByTestId('projector-team').filter({ hasText: 'Team 2' }).waitFor({ timeout: 25_000 });
    await projector.waitForFunction(
      () =>
        ((window.__roundtripGame?.scene.getScene('network') as { packetsDrawn?: number } | null)
          ?.packetsDrawn ?? 0) > 0,
      null,
      { timeout: 20_000 },
    );
    await projector.screenshot({ path: `${SHOTS}/projector-round-team2-1920.png` });
    await host.screenshot({ path: `${SHOTS}/console-round-host.png` });

    // HOST-5: paused, the host steps one second; the clock moves by exactly that.
    await host.getByTestId('host-pause').click();
    await ann.getByTestId('phase').filter({ hasText: 'PAUSED' }).waitFor();
    await host.getByTestId('host-step-second').waitFor();
    // The timer counts class time (CLASS-3); its title says the simulated time the step moves.
    const simLeft = () =>
      ann
        .getByTestId('hud-timer')
        .getAttribute('title')
        .then((t) => t ?? '');
    const before = await simLeft();
    await host.getByTestId('host-step-second').click();
    await ann.waitForFunction(
      (t) => document.querySelector('[data-testid="hud-timer"]')?.getAttribute('title') !== t,
      before,
    );
    const seconds = (t: string) => {
      const [m, s] = (t.split(' ')[0] ?? '').split(':').map(Number);
      return (m ?? 0) * 60 + (s ?? 0);
    };
    expect(seconds(before) - seconds(await simLeft())).toBe(1);
    await host.getByTestId('host-step-tick').click();
    await host.getByTestId('host-step').screenshot({ path: `${SHOTS}/console-step.png` });
    await host.screenshot({ path: `${SHOTS}/console-paused-host.png` });
    await host.setViewportSize({ width: 390, height: 844 });
    await host.screenshot({ path: `${SHOTS}/console-paused-phone.png`, fullPage: true });
    await host.setViewportSize({ width: 1280, height: 720 });

    // HOST-7: the students' leaderboard hides and shows on the host's word.
    await ann.getByTestId('leaderboard-players').filter({ hasText: 'Bob' }).waitFor();
    await host.getByTestId('host-leaderboard').click();
    await ann.getByTestId('leaderboard-hidden').waitFor();
    expect(await ann.getByTestId('leaderboard-players').isVisible()).toBe(false);
    await host.getByTestId('host-leaderboard').click();
    await ann.getByTestId('leaderboard-players').waitFor();

    // End, then HOST-8: the next lesson in the same room, everyone still joined.
    await host.getByTestId('host-resume').click();
    await host.getByTestId('host-end').click();
    await host.getByTestId('host-end').click();
    await host.getByTestId('results-table').filter({ hasText: 'Ann' }).waitFor();
    await bob.getByTestId('next-round-wait').waitFor();
    await host.getByTestId('next-lesson').selectOption('lesson-2-mail');
    await host.getByTestId('next-round').click();
    await host.getByTestId('lobby-code').filter({ hasText: code }).waitFor();
    await host.getByTestId('lobby-players').filter({ hasText: 'Ann' }).filter({ hasText: 'Bob' }).waitFor();
    await host.screenshot({ path: `${SHOTS}/console-next-lobby-host.png` });
    await host.setViewportSize({ width: 390, height: 844 });
    await manage(host, 'Ann');
    await host.screenshot({ path: `${SHOTS}/console-next-lobby-phone.png`, fullPage: true });
    await host.getByTestId('manage-close').click();
    await host.setViewportSize({ width: 1280, height: 720 });
    await ann.getByTestId('banner').filter({ hasText: 'waiting for the host' }).waitFor();
    await bob.getByTestId('banner').filter({ hasText: 'waiting for the host' }).waitFor();
    await projector.getByTestId('projector-code').waitFor();
    await host.getByTestId('host-start').click();
    await ann.getByTestId('phase').filter({ hasText: 'LIVE' }).waitFor();
    expect(await ann.title()).toBeDefined();
    await host.getByTestId('host-panel').waitFor();
    expect(await text(host, 'host-link')).toContain('l-west-short');

    expect(e2e.problems).toEqual([]);
  }, 240_000);
});

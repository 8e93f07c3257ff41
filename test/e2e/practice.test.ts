import { readFileSync } from 'node:fs';
import { lessonScenario, replayFile, verifyReplay } from '@roundtrip/server';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type E2E, SHOTS, startE2E, text } from './harness.ts';

/**
 * Practice alone in real Chromium (SPEC PRAC-1..8): the real server only serves the
 * page. Lesson 1 at the West router against expert bots: pause, step, a hint that
 * reacts to a missing route, routes added, fast-forward to the end, stars; try again
 * with the same seed; the replay scrubbed; progress still there after a reload; and
 * a resolver seat of lesson 3 on a phone.
 */

let e2e: E2E;

beforeAll(async () => {
  e2e = await startE2E();
});

afterAll(async () => {
  await e2e?.stop();
});

/** Simulated seconds left, from the timer's title ("2:58 of simulated time left at 0.5× speed"). */
async function simLeftS(page: Page): Promise<number> {
  const title = (await page.getByTestId('hud-timer').getAttribute('title')) ?? '';
  const m = /^(\d+):(\d\d)/.exec(title);
  if (!m) throw new Error(`no clock in "${title}"`);
  return Number(m[1]) * 60 + Number(m[2]);
}

async function startPractice(page: Page, lesson: string, seat: string, bots: string): Promise<void> {
  await page.getByTestId('practice-lesson').and(page.locator(':enabled')).waitFor();
  await page.getByTestId('practice-lesson').selectOption(lesson);
  await page.getByTestId('practice-seat').selectOption(seat);
  await page.getByTestId('practice-bots').selectOption(bots);
  await page.getByTestId('practice-start').click();
  await page.getByTestId('practice-controls').waitFor();
}

describe('practice alone in the browser', () => {
  it('picks a lesson and a seat, plays against bots with pause, step and fast-forward, earns stars, tries again and scrubs the replay', async () => {
    const page = await e2e.openPage(1280, 720, 'solo');
    // No code, no nickname: the practice card is on the landing page.
    await page.screenshot({ path: `${SHOTS}/practice-landing-1280.png`, fullPage: true });
    await startPractice(page, 'lesson-1-postal', 'r-west', 'expert');
    expect(await text(page, 'player-role')).toContain('West router (r-west)');

    // It waits, paused, with the clock at the start; steps move it on by a second or a tick.
    await page.getByTestId('banner').filter({ hasText: 'Paused' }).waitFor();
    expect(await text(page, 'practice-play')).toBe('Start');
    const full = await simLeftS(page);
    await page.getByTestId('practice-step-second').click();
    await page.getByTestId('practice-step-second').click();
    await expect.poll(() => simLeftS(page)).toBe(full - 2);
    await page.getByTestId('practice-step-tick').click();
    await expect.poll(() => simLeftS(page)).toBeLessThanOrEqual(full - 2);

    // Hand forwarding off, and no route yet for the other sites: a hint names the prefix.
    await page.getByTestId('hand-toggle').uncheck();
    await page.getByTestId('practice-play').click();
    expect(await text(page, 'practice-play')).toBe('Pause');
    await page
      .getByTestId('practice-hint')
      .filter({ hasText: /Packets for 10\.\d+\.0\.\d+ are dropped at your West router \(r-west\): no route/ })
      .first()
      .waitFor({ timeout: 30_000 });
    expect(await text(page, 'practice-hints')).toMatch(/such as 10\.\d+\.0\.0\/16/);
    await page.screenshot({ path: `${SHOTS}/practice-round-1280.png` });

    // Paused, the clock stands still; the routes go in while it waits.
    await page.getByTestId('practice-play').click();
    await page.getByTestId('banner').filter({ hasText: 'Paused' }).waitFor();
    const pausedAt = await simLeftS(page);
    for (const [prefix, via] of [
      ['10.2.0.0/16', 'r-north'],
      ['10.3.0.0/16', 'r-north'],
      ['10.4.0.0/16', 'r-south'],
    ] as const) {
      await page.getByTestId('route-prefix').fill(prefix);
      await page.getByTestId('route-via').selectOption(via);
      await page.getByTestId('route-add').click();
    }
    await page.getByTestId('practice-step-tick').click();
    await page.getByTestId('route-row-10.4.0.0/16').waitFor();
    expect(await simLeftS(page)).toBeGreaterThanOrEqual(pausedAt - 1);

    // Fast-forward to the end: the results give stars from the lesson's thresholds.
    await page.getByTestId('practice-speed').selectOption('4');
    await page.getByTestId('practice-play').click();
    await page.getByTestId('practice-stars').waitFor({ timeout: 100_000 });
    const stars = (await text(page, 'practice-stars')).replaceAll('☆', '').length;
    expect(stars).toBeGreaterThanOrEqual(2);
    expect(await text(page, 'practice-score')).toMatch(/^Team score \d+: one star from 800/);
    await page.getByTestId('practice-new-best').waitFor();
    const seedText = (await page.getByTestId('practice-summary').textContent()) ?? '';
    const seed = /Seed (\d+)/.exec(seedText)?.[1];
    expect(seed).toBeDefined();
    await page.getByTestId('debrief').waitFor();
    expect(await text(page, 'practice-next')).toContain('Lesson 2');
    await page.screenshot({ path: `${SHOTS}/practice-results-1280.png`, fullPage: true });

    // The attempt's replay file: the server's replay check reproduces its score, so its stars.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('download-replay').click(),
    ]);
    const file = replayFile.parse(JSON.parse(readFileSync((await download.path()) as string, 'utf8')));
    expect(file.practice).toEqual({ node: 'r-west', role: 'router', botSkill: 'expert', stars });
    expect(file.seed).toBe(Number(seed));
    const [team] = verifyReplay(file, lessonScenario(file.scenarioId).scenario);
    expect(team?.matches).toBe(true);
    expect(await text(page, 'practice-score')).toContain(`Team score ${team?.replayed.score}:`);

    // The replay: scrubbed back to the middle, the clock and the score are those of then.
    await page.getByTestId('practice-watch-replay').click();
    await page.getByTestId('replay-controls').waitFor();
    const timeline = page.getByTestId('replay-timeline');
    const endMs = Number(await timeline.getAttribute('max'));
    expect(endMs).toBe(180_000);
    await timeline.fill(String(endMs));
    const endScore = await text(page, 'replay-score');
    expect(await text(page, 'replay-clock')).toBe('3:00 / 3:00');
    await timeline.fill('90000');
    expect(await text(page, 'replay-clock')).toBe('1:30 / 3:00');
    const midScore = Number(/(-?\d+)$/.exec(await text(page, 'replay-score'))?.[1]);
    expect(midScore).toBeLessThan(Number(/(-?\d+)$/.exec(endScore)?.[1]));
    expect(await page.locator('.replay-mark').count()).toBeGreaterThanOrEqual(4); // hand mode, three routes
    await page.getByTestId('replay-play').click();
    await expect.poll(async () => text(page, 'replay-clock')).not.toBe('1:30 / 3:00');
    await page.screenshot({ path: `${SHOTS}/practice-replay-1280.png` });
    await page.getByTestId('replay-back').click();

    // Try again: the same seed, a fresh round; ended early, it still has results.
    await page.getByTestId('practice-try-again').click();
    await page.getByTestId('practice-controls').waitFor();
    expect(await text(page, 'practice-play')).toBe('Start');
    await page.getByTestId('route-table').waitFor();
    expect(await page.getByTestId('route-row-10.4.0.0/16').count()).toBe(0);
    await page.getByTestId('practice-step-second').click();
    await page.getByTestId('practice-end').click();
    await page.getByTestId('practice-summary').waitFor();
    expect(await text(page, 'practice-summary')).toContain(`Seed ${seed}`);

    // Progress stays in this browser: the landing page shows the lesson's best stars.
    await page.getByTestId('practice-back').click();
    await page.getByTestId('practice-lesson').and(page.locator(':enabled')).waitFor();
    const option = page.getByTestId('practice-lesson').locator('option[value="lesson-1-postal"]');
    expect(await option.textContent()).toContain('★'.repeat(stars));
    expect(e2e.problems).toEqual([]);
  });

  it('plays a resolver seat on a phone', async () => {
    const page = await e2e.openPage(390, 844, 'phone', true);
    await page.screenshot({ path: `${SHOTS}/practice-landing-390.png`, fullPage: true });
    await startPractice(page, 'lesson-3-url', 'res', 'novice');
    await page.getByTestId('resolver-panel').waitFor();
    await page.getByTestId('practice-speed').selectOption('4');
    await page.getByTestId('practice-play').click();
    await expect.poll(() => simLeftS(page), { timeout: 20_000 }).toBeLessThan(50);
    await page.screenshot({ path: `${SHOTS}/practice-round-390.png` });
    await page.screenshot({ path: `${SHOTS}/practice-round-390-full.png`, fullPage: true });
    await page.getByTestId('practice-end').click();
    await page.getByTestId('practice-summary').waitFor();
    await page.screenshot({ path: `${SHOTS}/practice-results-390.png`, fullPage: true });
    await page.getByTestId('practice-watch-replay').click();
    await page.getByTestId('replay-timeline').fill('5000');
    expect(await text(page, 'replay-clock')).toMatch(/^0:05 \//);
    await page.screenshot({ path: `${SHOTS}/practice-replay-390.png`, fullPage: true });
    expect(e2e.problems).toEqual([]);
  });
});

import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type E2E, SHOTS, startE2E, text } from './harness.ts';

/**
 * What a new teacher and new students found (issue 14, "What was found"), in Chromium
 * at 1280×720 and 390×844: the address, errors where the person acted, the map in
 * reach, the host taking the round back, and results that say how scores were made.
 */

let e2e: E2E;
beforeAll(async () => {
  e2e = await startE2E();
});
afterAll(async () => {
  await e2e?.stop();
});

/** Whether the element with `testid` lies wholly inside the page's window, and not under the (sticky) map. */
async function inView(page: Page, testid: string): Promise<boolean> {
  const box = await page.getByTestId(testid).first().boundingBox();
  const view = page.viewportSize();
  if (!box || !view) return false;
  const mapCol = page.locator('.map-col');
  const map = (await mapCol.count()) > 0 ? await mapCol.boundingBox() : null;
  const inside =
    box.y >= 0 && box.x >= 0 && box.y + box.height <= view.height && box.x + box.width <= view.width;
  const underMap =
    map !== null && box.x < map.x + map.width && box.y < map.y + map.height && box.y + box.height > map.y;
  return inside && !underMap;
}

describe('the classroom as a new teacher finds it', () => {
  it('CLASS-1, CLASS-2, CLASS-3, MSG-8, UI-1, SCORE-7, COVER-1: lobby, errors, layout, host link and results', async () => {
    const host = await e2e.openPage(1280, 720, 'teacher');
    await host.getByTestId('host-lesson').selectOption('lesson-2-mail');
    // Lesson 2's 45 s stays 45 s (no half-minute rounding), shown in class time at its speed.
    expect(await host.getByTestId('host-minutes').inputValue()).toBe('0.75');
    expect(await text(host, 'host-length-hint')).toContain('(0:45 simulated at 1/10× speed)');
    await host.getByTestId('host-lesson').selectOption('lesson-1-postal');
    await host.getByTestId('host-minutes').fill('1.5');
    await host.getByTestId('host-speed').selectOption('1');
    expect(await text(host, 'host-length-hint')).toBe('The round takes 1:30 of class time.');
    await host.getByTestId('host-create').click();
    const code = (await text(host, 'lobby-code')).trim();

    // The address on the projector is never this machine's localhost.
    await expect.poll(async () => text(host, 'lobby-url')).not.toContain('localhost');
    const url = await text(host, 'lobby-url');
    if (!/^http:\/\/\d/.test(url)) expect(await text(host, 'lobby-url-note')).toMatch(/no network address/);
    expect(await text(host, 'lobby-settings')).toContain('1:30 of class time');
    expect(await inView(host, 'host-start'), 'host-start in view on host').toBe(true);

    // A student on a phone tries a route before the start: plain words, by the form, input kept.
    const phone = await e2e.openPage(390, 844, 'phone', true);
    await phone.goto(`${e2e.base}/?code=${code}`);
    await phone.getByTestId('join-nickname').fill('Pia');
    await phone.getByTestId('join-submit').click();
    await phone.getByTestId('banner').filter({ hasText: 'waiting for the host' }).waitFor();
    await phone.getByTestId('route-prefix').fill('10.3.0.0/16');
    await phone.getByTestId('route-add').click();
    const toast = phone.getByTestId('toast').filter({ hasText: "The round hasn't started yet" });
    await toast.waitFor();
    expect(await inView(phone, 'toast'), 'toast in view on phone').toBe(true);
    expect(await phone.getByTestId('route-prefix').inputValue()).toBe('10.3.0.0/16');
    await phone.screenshot({ path: `${SHOTS}/found-lobby-phone.png` });

    // A laptop student too, and the lobby as the teacher sees it.
    const laptop = await e2e.openPage(1280, 720, 'laptop');
    await laptop.goto(`${e2e.base}/?code=${code}`);
    await laptop.getByTestId('join-nickname').fill('Lou');
    await laptop.getByTestId('join-submit').click();
    await host.getByTestId('lobby-players').filter({ hasText: 'Lou' }).waitFor();
    await host.screenshot({ path: `${SHOTS}/found-lobby-host.png` });

    await host.getByTestId('host-start').click();
    await phone.getByTestId('phase').filter({ hasText: 'LIVE' }).waitFor();
    await laptop.getByTestId('phase').filter({ hasText: 'LIVE' }).waitFor();

    // The phone opens at the top, and the map stays in view while the panels scroll.
    expect(await phone.evaluate(() => window.scrollY)).toBe(0);
    expect(await inView(phone, 'player-role'), 'player-role in view on phone').toBe(true);
    await phone.getByTestId('my-links').scrollIntoViewIfNeeded();
    const map = await phone.locator('.map-col').boundingBox();
    expect(map?.y).toBe(0);
    expect(map?.height).toBeGreaterThan(200);
    // A student idle for 10 s while packets wait has a bot covering (SPEC COVER-1), whose
    // table forwards them: forwarding by hand again takes the seat back, and packets wait.
    await phone.getByTestId('hand-toggle').check();
    await phone.getByTestId('hand-queue').locator('button').first().waitFor({ timeout: 20_000 });
    // As a focus or a tap brings it into view (scroll-margin keeps it below the sticky map).
    await phone.getByTestId('hand-send').evaluate((el) => el.scrollIntoView({ block: 'start' }));
    expect(await inView(phone, 'hand-send'), 'send buttons in view on phone').toBe(true);
    const firstOnPhone =
      (await phone.getByTestId('hand-queue').locator('button').first().getAttribute('data-testid')) ??
      'missing';
    expect(await inView(phone, firstOnPhone), 'first waiting packet in view on phone').toBe(true);
    expect((await phone.locator('.map-col').boundingBox())?.y).toBe(0);
    await phone.screenshot({ path: `${SHOTS}/found-round-phone.png` });

    // On the laptop the waiting packets are in view without scrolling, nothing over them.
    const queue = laptop.getByTestId('hand-queue').locator('button').first();
    await laptop.getByTestId('hand-toggle').check();
    await queue.waitFor({ timeout: 20_000 });
    await laptop.screenshot({ path: `${SHOTS}/found-round-laptop.png` });
    const firstId = (await queue.getAttribute('data-testid')) ?? 'missing';
    expect(await inView(laptop, firstId), 'first waiting packet in view on laptop').toBe(true);
    expect(await inView(laptop, 'hand-send'), 'send buttons in view on laptop').toBe(true);
    await laptop.screenshot({ path: `${SHOTS}/found-round-laptop.png` });
    // The teacher's link control is on screen at 720 px.
    expect(await inView(host, 'host-link-toggle'), 'host-link-toggle in view on host').toBe(true);
    await host.screenshot({ path: `${SHOTS}/found-round-host.png` });
    // The HUD says "—" rather than "0 ms" for a channel with nothing delivered yet.
    expect(await text(laptop, 'hud-tcp-p95')).toMatch(/^(—|\d+ ms)$/);

    // The teacher's tab closes: students are told; the host link takes the round back elsewhere.
    const link = await host.getByTestId('host-link-url').inputValue();
    expect(link).toContain(`code=${code}&host=`);
    await host.context().close();
    await phone.getByTestId('banner').filter({ hasText: 'teacher is away' }).waitFor({ timeout: 45_000 });
    const back = await e2e.openPage(1280, 720, 'teacher-again');
    await back.goto(link);
    await back.getByTestId('host-panel').waitFor();
    expect(back.url()).not.toContain('host=');
    await phone.getByTestId('banner').filter({ hasText: 'teacher is away' }).waitFor({ state: 'hidden' });

    // Lou, away all this while, finds a bot covering for him (SPEC COVER-1) and takes his router
    // back; some of his waiting packets then wait too long (8 s at 1×), so both scores have parts to explain.
    await laptop.getByTestId('banner').filter({ hasText: 'A bot is covering for you' }).waitFor();
    await laptop.getByTestId('hand-toggle').check();
    await laptop.getByTestId('banner').waitFor({ state: 'hidden' });
    await expect.poll(async () => text(laptop, 'hud-score'), { timeout: 40_000 }).toMatch(/^[−-]?[1-9]/);
    await expect.poll(async () => text(laptop, 'hud-udp-lost'), { timeout: 20_000 }).not.toMatch(/^(—|0)/);

    // The teacher ends the round; the results name routers as the map does and explain each score.
    await back.getByTestId('host-end').click();
    await back.getByTestId('host-end').click();
    await laptop.getByTestId('results-table').waitFor();
    const table = await text(laptop, 'results-table');
    expect(table).toContain('West router');
    expect(table).not.toMatch(/Router r-west/);
    expect(await text(laptop, 'breakdown-Lou')).toMatch(/for \d+ /);
    expect(await text(laptop, 'team-breakdown-0')).toMatch(/^Team score: /);
    await laptop.screenshot({ path: `${SHOTS}/found-results-laptop.png`, fullPage: true });
    await phone.getByTestId('results-table').waitFor();
    await phone.screenshot({ path: `${SHOTS}/found-results-phone.png`, fullPage: true });
    expect(e2e.problems).toEqual([]);
  }, 180_000);
});

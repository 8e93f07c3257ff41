import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type E2E, SHOTS, startE2E, text } from './harness.ts';

/**
 * Reloading a page mid-round keeps your place (SPEC ROOM-5, ROOM-7): the host
 * takes its controls back with its token, a player reconnects to its router
 * with its score. A place that cannot be taken back is explained, with the
 * code filled in; going back to start after the round forgets it.
 */

let e2e: E2E;

beforeAll(async () => {
  e2e = await startE2E();
});

afterAll(async () => {
  await e2e?.stop();
});

const REJOIN_KEY = 'roundtrip.rejoin';
const stored = (page: Page) => page.evaluate((key) => sessionStorage.getItem(key), REJOIN_KEY);

describe('reload without losing your place', () => {
  it('host and player reload mid-round and carry on; a stale seat is explained; back to start forgets', async () => {
    const host = await e2e.openPage(1280, 720, 'host');
    await host.getByTestId('host-lesson').selectOption('lesson-2-mail');
    await host.getByTestId('host-minutes').fill('2');
    await host.getByTestId('host-speed').selectOption('1');
    await host.getByTestId('host-create').click();
    const code = (await text(host, 'lobby-code')).trim();

    const dee = await e2e.openPage(390, 844, 'dee');
    await dee.getByTestId('join-code').fill(code);
    await dee.getByTestId('join-nickname').fill('Dee');
    await dee.getByTestId('join-submit').click();
    await dee.getByTestId('banner').filter({ hasText: 'waiting for the host' }).waitFor();
    await host.getByTestId('lobby-players').filter({ hasText: 'Dee' }).waitFor();
    await host.getByTestId('host-start').click();
    await dee.getByTestId('phase').filter({ hasText: 'LIVE' }).waitFor();
    // Dee's router forwards packets, so her own score moves.
    await dee.waitForFunction(
      () => !['0', '–', ''].includes(document.querySelector('[data-testid="hud-score"]')?.textContent ?? ''),
      null,
      { timeout: 20_000 },
    );

    // The host reloads: straight back to the round with working controls.
    await host.reload();
    await host.getByTestId('host-panel').waitFor();
    expect(await text(host, 'player-role')).toContain(`code ${code}`);
    await host.getByTestId('host-pause').click();
    await dee.getByTestId('phase').filter({ hasText: 'PAUSED' }).waitFor();
    await host.getByTestId('host-resume').waitFor();
    await host.screenshot({ path: `${SHOTS}/rejoin-host-after-reload.png` });

    // Paused, Dee's score holds still; she reloads and is back on r-west with it.
    const scoreBefore = await text(dee, 'hud-score');
    expect(scoreBefore).toMatch(/^-?[1-9]\d*$/);
    await dee.reload();
    await dee.getByTestId('phase').filter({ hasText: 'PAUSED' }).waitFor();
    expect(await text(dee, 'player-role')).toContain('Dee · router');
    expect(await text(dee, 'player-role')).toContain('(r-west)');
    await dee.getByTestId('hud-score').filter({ hasText: scoreBefore }).waitFor();
    await host.getByTestId('host-players').filter({ hasText: 'Dee', hasNotText: '(away)' }).waitFor();
    await host.getByTestId('host-resume').click();
    await dee.getByTestId('phase').filter({ hasText: 'LIVE' }).waitFor();
    await dee.screenshot({ path: `${SHOTS}/rejoin-player-after-reload.png`, fullPage: true });

    // A seat that was not kept: the page says so and offers the join form with the code.
    const eve = await e2e.openPage(1280, 720, 'eve');
    await eve.evaluate(
      ([key, c]) =>
        sessionStorage.setItem(
          key,
          JSON.stringify({ role: 'player', code: c, reconnectionToken: `${c}:gone` }),
        ),
      [REJOIN_KEY, code] as const,
    );
    await eve.reload();
    await eve.getByTestId('rejoin-notice').filter({ hasText: 'only kept for 30 seconds' }).waitFor();
    expect(await eve.getByTestId('join-code').inputValue()).toBe(code);
    expect(await stored(eve)).toBeNull();
    await eve.screenshot({ path: `${SHOTS}/rejoin-seat-not-kept.png` });

    // After the round, back to start forgets the place: a reload shows the start page.
    await host.getByTestId('host-end').click();
    await host.getByTestId('host-end').filter({ hasText: 'Click again' }).waitFor();
    await host.getByTestId('host-end').click();
    await dee.getByTestId('results-table').filter({ hasText: 'Dee' }).waitFor();
    expect(await stored(dee)).not.toBeNull();
    await dee.getByTestId('play-again').click();
    await dee.getByTestId('join-submit').waitFor();
    expect(await stored(dee)).toBeNull();
    await dee.reload();
    await dee.getByTestId('host-create').waitFor();
    expect(await dee.getByTestId('rejoin-notice').count()).toBe(0);

    expect(e2e.problems).toEqual([]);
  });
});

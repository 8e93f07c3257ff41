import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type E2E, SHOTS, startE2E, text } from './harness.ts';

/**
 * Results that survive, in the browser (SPEC PERSIST-2, PERSIST-4): the server is killed
 * mid-round and started again; the host's and the player's pages come back to the round
 * by themselves; the host ends it and finds it under "Past rounds", with its CSV.
 */

let e2e: E2E;

beforeAll(async () => {
  e2e = await startE2E();
});

afterAll(async () => {
  await e2e?.stop();
});

describe('a crash mid-round, seen from the browser', () => {
  it('PERSIST-4, PERSIST-2, SCORE-7: pages reconnect after a restart; the finished round is in Past rounds with its breakdowns and CSV', async () => {
    const host = await e2e.openPage(1280, 720, 'host');
    await host.getByTestId('host-lesson').selectOption('lesson-1-postal');
    await host.getByTestId('host-speed').selectOption('1');
    await host.getByTestId('host-create').click();
    const code = (await text(host, 'lobby-code')).trim();

    const dee = await e2e.openPage(390, 844, 'dee');
    await dee.getByTestId('join-code').fill(code);
    await dee.getByTestId('join-nickname').fill('Dee');
    await dee.getByTestId('join-submit').click();
    await host.getByTestId('lobby-players').filter({ hasText: 'Dee' }).waitFor();
    await host.getByTestId('host-start').click();
    await dee.getByTestId('phase').filter({ hasText: 'LIVE' }).waitFor();
    await dee.waitForTimeout(3_000);
    const timerBefore = await text(dee, 'hud-timer');

    await e2e.crashAndRestart();

    // Both pages find their way back, to the same round, still running.
    await dee.getByTestId('phase').filter({ hasText: 'LIVE' }).waitFor({ timeout: 30_000 });
    expect(await text(dee, 'player-role')).toContain('Dee · West router');
    await host.getByTestId('host-panel').waitFor({ timeout: 30_000 });
    expect(await text(host, 'player-role')).toContain(`code ${code}`);
    await dee.screenshot({ path: `${SHOTS}/persist-player-after-restart.png` });
    expect(await text(dee, 'hud-timer')).not.toBe('');
    expect(timerBefore).not.toBe('');
    // Dee lets her table forward, so that the team completes calls or requests and its score
    // has parts to explain (SCORE-7) before the host ends the round.
    await dee.getByTestId('hand-toggle').uncheck();
    await expect
      .poll(async () => Number(await text(dee, 'hud-team-score')), { timeout: 30_000 })
      .toBeGreaterThan(0);

    // Armed for 4 s: on a loaded machine the first click can land while the reconnected page still redraws.
    await vi.waitFor(
      async () => {
        await host.getByTestId('host-end').click();
        await host.getByTestId('host-end').filter({ hasText: 'Click again' }).waitFor({ timeout: 3_000 });
        await host.getByTestId('host-end').click();
      },
      { timeout: 30_000, interval: 500 },
    );
    await dee.getByTestId('results-table').filter({ hasText: 'Dee' }).waitFor();
    // SCORE-7: how the team's score was made, as the live results show it.
    const teamHow = (await text(dee, 'team-breakdown-0')).replace(/^Team score: /, '');
    expect(teamHow).toMatch(/\+\d+ for \d+ (call frames on time|web requests completed|web pages loaded)/);

    // Past rounds, from the start page of the host's browser.
    await host.getByTestId('play-again').click();
    await host.getByTestId('past-rounds').click();
    await host.getByTestId(`history-open-${code}`).click();
    await host.getByTestId('history-players').filter({ hasText: 'Dee' }).waitFor();
    // The past round shows the same breakdowns the live results did (SCORE-7).
    expect(await text(host, 'team-ranking-breakdown-0')).toBe(teamHow);
    await host.screenshot({ path: `${SHOTS}/persist-past-round.png` });
    const [download] = await Promise.all([
      host.waitForEvent('download'),
      host.getByTestId('download-csv').click(),
    ]);
    expect(download.suggestedFilename()).toMatch(
      new RegExp(`^roundtrip-${code}-\\d{4}-\\d{2}-\\d{2}\\.csv$`),
    );
    const csv = readFileSync(await download.path(), 'utf8');
    expect(csv).toMatch(
      /^rank,nickname,team,node,role,score,team score,left early\r\n1,Dee,1,r-west,router,/,
    );

    // Another browser has no past rounds.
    const other = await e2e.openPage(1280, 720, 'other');
    await other.getByTestId('past-rounds').click();
    await other.getByTestId('history-empty').waitFor();
    // While the server was down the browser itself logged the refused connections; nothing else.
    expect(e2e.problems.filter((p) => !/net::ERR_CONNECTION_REFUSED/.test(p))).toEqual([]);
  });
});

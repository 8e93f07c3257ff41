import { readFileSync } from 'node:fs';
import { lessonScenario, replayFile, verifyReplay } from '@roundtrip/server';
import { conceptFor } from '@roundtrip/sim';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type E2E, LAPTOP, openLobby, PHONE, SHOTS, startE2E, startRound, text } from './harness.ts';

/**
 * The debrief in Chromium (SPEC DEBRIEF-1..6): a short round of lesson 2 is played
 * and ended; its players see the podium, three charts drawn with data, the failures by
 * reason, place and role with a sentence each, and download the CSV and the replay,
 * which reproduces the round's results headlessly. Screenshots at 1280×720 and 390×844.
 */

let e2e: E2E;
const lesson2 = lessonScenario('lesson-2-mail').scenario.file;

beforeAll(async () => {
  e2e = await startE2E();
});

afterAll(async () => {
  await e2e?.stop();
});

/** How many pixels of the chart's canvas differ from its top-left pixel (the background). */
const inkedPixels = (page: Page, testid: string) =>
  page.evaluate((id) => {
    const canvas = document.querySelector(`[data-testid="${id}"] canvas`) as HTMLCanvasElement | null;
    const ctx = canvas?.getContext('2d');
    if (!canvas || !ctx) return 0;
    const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
    let inked = 0;
    for (let i = 0; i < data.length; i += 4)
      if (
        data[i] !== data[0] ||
        data[i + 1] !== data[1] ||
        data[i + 2] !== data[2] ||
        data[i + 3] !== data[3]
      )
        inked++;
    return inked;
  }, testid);

describe('the debrief at the end of a round', () => {
  it('DEBRIEF-1, DEBRIEF-2, DEBRIEF-3, DEBRIEF-4, DEBRIEF-5: charts, groups with sentences, podium, CSV and replay', async () => {
    const { host, code, students } = await openLobby(
      e2e,
      { lesson: 'lesson-2-mail', minutes: '2', speed: '1' },
      [
        { nickname: 'Ann', ...LAPTOP },
        { nickname: 'Bo', ...PHONE },
      ],
    );
    const [ann, bo] = students as [Page, Page];
    await startRound(host, [ann]);
    // Ten seconds of simulated time: enough points for the charts and losses on the lossy path.
    await ann.waitForTimeout(10_000);
    await host.getByTestId('host-end').click();
    await host.getByTestId('host-end').filter({ hasText: 'Click again' }).waitFor();
    await host.getByTestId('host-end').click();

    for (const page of [ann, bo]) {
      await page.getByTestId('results-table').filter({ hasText: 'Ann' }).waitFor();
      await page.getByTestId('debrief').waitFor();
      // DEBRIEF-4: a podium of the two players.
      expect(await page.getByTestId('podium').locator('li').count()).toBe(2);
      // DEBRIEF-3: three charts, each with a point a simulated second, drawn on a canvas.
      for (const chart of ['chart-latency', 'chart-loss', 'chart-score']) {
        const points = Number(await page.getByTestId(chart).getAttribute('data-points'));
        expect(points).toBeGreaterThanOrEqual(8);
        await page.getByTestId(chart).locator('canvas').waitFor();
        await expect.poll(() => inkedPixels(page, chart)).toBeGreaterThan(500);
      }
      // DEBRIEF-1, DEBRIEF-2: failures by reason, place and role, each line with its sentence.
      for (const group of ['failures-by-reason', 'failures-by-place', 'failures-by-role']) {
        const lines = page.getByTestId(group).locator('li');
        expect(await lines.count()).toBeGreaterThan(0);
        expect((await lines.first().locator('.concept').textContent())?.length ?? 0).toBeGreaterThan(30);
      }
      // The lesson's own sentence where it has one, else the default (DEBRIEF-2); its summary on top.
      expect(await text(page, 'failures-by-reason')).toContain(conceptFor('link-loss', lesson2.debrief));
      if (lesson2.debrief) expect(await text(page, 'debrief-summary')).toBe(lesson2.debrief.summary);
    }
    await ann.screenshot({ path: `${SHOTS}/debrief-1280.png`, fullPage: true });
    await bo.screenshot({ path: `${SHOTS}/debrief-390.png`, fullPage: true });

    // DEBRIEF-4: the CSV downloads with players, teams and failures where they happened.
    const [csvFile] = await Promise.all([
      bo.waitForEvent('download'),
      bo.getByTestId('download-csv').click(),
    ]);
    expect(csvFile.suggestedFilename()).toMatch(new RegExp(`^roundtrip-${code}-\\d{4}-\\d{2}-\\d{2}\\.csv$`));
    const csv = readFileSync(await csvFile.path(), 'utf8');
    expect(csv).toMatch(/^rank,nickname,team,node,role,score,team score,left early\r\n/);
    expect(csv).toContain('\r\nteam,score,completed,failed,name,rank\r\n');
    expect(csv).toMatch(/\r\nteam,failure,count,unit,place,place id,role,concept\r\n1,link-loss,\d+,/);

    // DEBRIEF-5: the replay downloads, and re-running it gives the round's results.
    const [replayDownload] = await Promise.all([
      ann.waitForEvent('download'),
      ann.getByTestId('download-replay').click(),
    ]);
    expect(replayDownload.suggestedFilename()).toMatch(/\.replay\.json$/);
    const replay = replayFile.parse(JSON.parse(readFileSync(await replayDownload.path(), 'utf8')));
    expect(replay).toMatchObject({ scenarioId: 'lesson-2-mail', code });
    const teams = verifyReplay(replay, lessonScenario('lesson-2-mail').scenario);
    expect(teams.map((t) => t.matches)).toEqual([true]);
    expect(e2e.problems).toEqual([]);
  });
});

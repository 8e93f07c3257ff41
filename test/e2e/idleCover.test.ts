import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type E2E, LAPTOP, openLobby, PHONE, SHOTS, startE2E, startRound, text } from './harness.ts';

/**
 * A bot covers for an idle student, in the browser (SPEC COVER-1, COVER-2): in lesson 1
 * at real speed nobody forwards by hand; after COVER_IDLE_S (10 s) of waiting packets
 * each student's page says a bot is covering for them, and one action takes the seat back.
 */

let e2e: E2E;

beforeAll(async () => {
  e2e = await startE2E();
});

afterAll(async () => {
  await e2e?.stop();
});

describe('a bot covers for an idle student', () => {
  it('COVER-1, COVER-2: the banner says so on a laptop and a phone; acting takes the seat back', async () => {
    const { host, students } = await openLobby(e2e, { lesson: 'lesson-1-postal', minutes: '2', speed: '1' }, [
      { nickname: 'Ida', ...LAPTOP },
      { nickname: 'Ivo', ...PHONE },
    ]);
    const [ida, ivo] = students as [typeof host, typeof host];
    await startRound(host, [ida, ivo]);
    // Nobody acts: packets wait at both routers.
    for (const page of [ida, ivo]) {
      await page
        .getByTestId('banner')
        .filter({ hasText: 'A bot is covering for you' })
        .waitFor({ timeout: 30_000 });
      expect(await text(page, 'banner')).toContain('Act in your panel to take your seat back');
    }
    await ida.screenshot({ path: `${SHOTS}/cover-banner-1280.png` });
    // The teacher's list says which seats a bot covers.
    await host.getByTestId('host-player-Ida').filter({ hasText: 'bot covering' }).waitFor();
    await ivo.screenshot({ path: `${SHOTS}/cover-banner-390.png` });
    // The banner is above the map, on screen, not over it (SPEC UI-1).
    const box = await ivo.getByTestId('banner').boundingBox();
    const stage = await ivo.locator('.stage').boundingBox();
    expect(box && stage && box.y + box.height <= stage.y + 1).toBe(true);
    expect((box?.y ?? -1) >= 0 && (box?.y ?? 0) + (box?.height ?? 0) <= 844).toBe(true);

    // Ida's score holds while the bots work the routers and the team's score grows (COVER-2).
    const score = async (testid: string) => Number(await text(ida, testid));
    const held = await score('hud-score');
    const teamBefore = await score('hud-team-score');
    await expect.poll(() => score('hud-team-score'), { timeout: 20_000 }).toBeGreaterThan(teamBefore + 10);
    expect(await score('hud-score')).toBe(held);
    // She takes her router back: hand forwarding on again is an action.
    await ida.getByTestId('hand-toggle').check();
    await ida.getByTestId('banner').waitFor({ state: 'hidden' });
    await host.getByTestId('host-player-Ida').filter({ hasNotText: 'bot covering' }).waitFor();
    await host.screenshot({ path: `${SHOTS}/cover-host.png` });
    // Ivo, still away, is still covered.
    expect(await text(ivo, 'banner')).toContain('A bot is covering for you');
    expect(e2e.problems).toEqual([]);
  }, 90_000);
});

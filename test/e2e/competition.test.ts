import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type E2E, SHOTS, startE2E, text } from './harness.ts';
import { WireLog } from './wire.ts';

/**
 * A two-team competition in real Chromium against the real server (SPEC COMP-1..6):
 * the host names two teams, a laptop and a phone join and pick their teams, a projector
 * spectates every copy, both teams play, the leaderboard moves, and the bytes the
 * Owls' page received — decoded here from its WebSocket frames, not read off the page —
 * hold nothing of the Foxes' copy while the round runs. The final ranking shows on
 * every page and is the one stored with the round.
 */

let e2e: E2E;
beforeAll(async () => {
  e2e = await startE2E();
});
afterAll(async () => {
  await e2e?.stop();
});

async function join(page: Page, code: string, nickname: string): Promise<void> {
  await page.getByTestId('join-code').fill(code);
  await page.getByTestId('join-nickname').fill(nickname);
  await page.getByTestId('join-submit').click();
}

/** Plays: the router leaves hand forwarding for its table (a `hand.mode` command). */
async function play(page: Page): Promise<void> {
  const toggle = page.getByTestId('hand-toggle');
  await toggle.scrollIntoViewIfNeeded();
  if (await toggle.isChecked()) await toggle.click();
  await page.waitForFunction(
    () => !(document.querySelector('[data-testid="hand-toggle"]') as HTMLInputElement | null)?.checked,
  );
}

describe('a team competition in the browser', () => {
  it('COMP-1..6: two teams play, the leaderboard moves, a team never receives the other’s copy, the ranking is shown and stored', async () => {
    const host = await e2e.openPage(1280, 720, 'host');
    await host.getByTestId('host-lesson').selectOption('lesson-1-postal');
    await host.getByTestId('host-minutes').fill('0.75');
    await host.getByTestId('host-speed').selectOption('1');
    // COMP-1: a competition names its teams; a form with one team says what to fix.
    await host.getByTestId('host-competition').check();
    await host.getByTestId('host-teams').fill('Owls');
    await host.getByTestId('host-create').click();
    await host.getByTestId('host-error').filter({ hasText: 'A competition has 2 to 8 teams' }).waitFor();
    await host.getByTestId('host-teams').fill('Owls\nFoxes');
    await host.screenshot({ path: `${SHOTS}/competition-create-host.png`, fullPage: true });
    await host.getByTestId('host-create').click();
    const code = (await text(host, 'lobby-code')).trim();

    // COMP-2: Ann (a laptop) is assigned the first team; Bob (a phone) the smaller one.
    const ann = await e2e.openPage(1280, 720, 'ann');
    const annWire = WireLog.attach(ann);
    await join(ann, code, 'Ann');
    await ann.getByTestId('banner').filter({ hasText: 'in Owls — waiting for the host' }).waitFor();
    const bob = await e2e.openPage(390, 844, 'bob', true);
    const bobWire = WireLog.attach(bob);
    await join(bob, code, 'Bob');
    await bob.getByTestId('banner').filter({ hasText: 'in Foxes' }).waitFor();
    // Bob tries the Owls, then goes back to the Foxes with the picker.
    await bob.getByTestId('team-join-0').click();
    await bob.getByTestId('banner').filter({ hasText: 'in Owls' }).waitFor();
    await bob.getByTestId('team-0').filter({ hasText: 'Ann, Bob' }).waitFor();
    await bob.getByTestId('team-join-1').click();
    await bob.getByTestId('banner').filter({ hasText: 'in Foxes' }).waitFor();
    await ann.getByTestId('team-1').filter({ hasText: 'Bob' }).waitFor();
    await ann.screenshot({ path: `${SHOTS}/competition-lobby-desktop.png` });
    await bob.screenshot({ path: `${SHOTS}/competition-lobby-phone.png`, fullPage: true });
    await host.getByTestId('lobby-players').filter({ hasText: 'Foxes' }).waitFor();

    // The spectator view, opened from the host console.
    const [projector] = await Promise.all([
      host.context().waitForEvent('page'),
      host.getByTestId('host-projector').click(),
    ]);
    await projector.setViewportSize({ width: 1920, height: 1080 });
    projector.on('pageerror', (e) => e2e.problems.push(`projector: page error: ${e.message}`));
    await projector.getByTestId('projector-joined').filter({ hasText: 'Bob · Foxes' }).waitFor();

    await host.getByTestId('host-start').click();
    await ann.getByTestId('phase').filter({ hasText: 'LIVE' }).waitFor();
    await bob.getByTestId('phase').filter({ hasText: 'LIVE' }).waitFor();
    // Both teams play.
    await play(ann);
    await play(bob);

    // COMP-5: the live leaderboard names both teams and moves with the Foxes' score on the Owls' page.
    const board = ann.getByTestId('leaderboard-teams');
    await board.filter({ hasText: 'Foxes' }).waitFor();
    const before = await board.textContent();
    await ann.waitForFunction(
      (was) => document.querySelector('[data-testid="leaderboard-teams"]')?.textContent !== was,
      before,
      { timeout: 15_000 },
    );
    expect(await text(ann, 'leaderboard')).toContain('Your team');
    // Every team at a glance on the projector, scores and counts.
    await projector.getByTestId('projector-team-1').filter({ hasText: 'Foxes' }).waitFor();
    await projector.waitForFunction(() =>
      /\d+ ✓/.test(document.querySelector('[data-testid="projector-team-1"]')?.textContent ?? ''),
    );
    await projector.screenshot({ path: `${SHOTS}/competition-projector-1920.png` });
    await ann.screenshot({ path: `${SHOTS}/competition-round-desktop.png` });
    await bob.screenshot({ path: `${SHOTS}/competition-round-phone.png` });
    await bob.screenshot({ path: `${SHOTS}/competition-round-phone-full.png`, fullPage: true });

    // COMP-4: what the Owls' page received while the round ran, decoded from its frames.
    expect(await text(ann, 'phase')).toBe('LIVE');
    const seen = annWire.state() as {
      phase: string;
      teams: string[];
      copies: Record<string, unknown>[];
      players: Record<string, Record<string, unknown>>;
    };
    expect(seen.phase).toBe('running');
    expect(seen.teams).toEqual(['Owls', 'Foxes']);
    expect(Object.keys(seen.copies[1] ?? {}).sort()).toEqual(['index', 'score']);
    expect(Object.keys(seen.copies[0] ?? {})).toEqual(
      expect.arrayContaining(['links', 'completed', 'udpP95History']),
    );
    const bobSeen = Object.values(seen.players).find((p) => p.nickname === 'Bob');
    expect(bobSeen && Object.keys(bobSeen).sort()).toEqual(['connected', 'copy', 'nickname']);
    // Link figures: the Owls' copy's eight links, never the Foxes'.
    expect(annWire.refs().filter((r) => typeof r === 'object' && r !== null && 'utilPct' in r)).toHaveLength(
      8,
    );
    // Each team's ticks, with its hashes inside the batches (SPEC SYNC-3, SYNC-4).
    for (const type of ['sync.snapshot', 'sync.ticks']) {
      expect(annWire.copiesOf(type), type).toEqual(new Set([0]));
      expect(bobWire.copiesOf(type), type).toEqual(new Set([1]));
    }

    // COMP-6: the round ends by itself; the ranking shows on every page ...
    for (const page of [ann, bob, host])
      await page.getByTestId('competition-ranking').filter({ hasText: 'Foxes' }).waitFor({ timeout: 60_000 });
    const shown = (await ann.getByTestId('competition-ranking').locator('li').allTextContents()).map((l) =>
      l.replace(/\s+/g, ' '),
    );
    await ann.screenshot({ path: `${SHOTS}/competition-results-desktop.png`, fullPage: true });
    await bob.screenshot({ path: `${SHOTS}/competition-results-phone.png`, fullPage: true });
    await projector.screenshot({ path: `${SHOTS}/competition-projector-ended-1920.png` });
    // ... and is the one stored with the round (fetched with the round's share key, as its players may).
    const ended = annWire.state() as { debrief: string };
    const res = await fetch(`${e2e.base}/api/rounds/${ended.debrief}`);
    expect(res.status).toBe(200);
    const stored = (await res.json()) as { teams: { name: string; rank: number; score: number }[] };
    const byRank = [...stored.teams].sort((a, b) => a.rank - b.rank || a.name.localeCompare(b.name));
    expect(byRank.map((t) => t.name).sort()).toEqual(['Foxes', 'Owls']);
    // Each line reads "1.Owls50" (rank, name, score in spans of their own).
    const lines = shown.map((l) => l.match(/^(\d+)\.\s*([A-Za-z]+)\s*(-?\d+)$/)?.slice(1));
    expect(lines).toEqual(byRank.map((t) => [String(t.rank), t.name, String(t.score)]));
    expect(e2e.problems).toEqual([]);
    // A 45 s round between a lobby and a results screen, four pages: more than the default 120 s on a busy machine.
  }, 240_000);
});

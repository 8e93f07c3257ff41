import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { CLIENT_DIST_DIR } from '@roundtrip/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type E2E, openLobby, PHONE, SHOTS, sendJoin, startE2E, startRound, text } from './harness.ts';

/**
 * An upgrade while pages are open (SPEC SYNC-10): the server restarts serving a newer
 * build. Pages that come back to the round, and a page that joins from a start page
 * loaded before, stop and offer a reload instead of running a replica that cannot follow
 * the server; the reload brings each person back to their place.
 *
 * The newer build is played by rewriting the served client's build.json, as a rebuild
 * would; it is put back before the reload, so the reloaded pages are the build served.
 */

const BUILD_FILE = resolve(CLIENT_DIST_DIR, 'build.json');
const builtAs = readFileSync(BUILD_FILE, 'utf8');
let e2e: E2E;

beforeAll(async () => {
  e2e = await startE2E();
});

afterAll(async () => {
  writeFileSync(BUILD_FILE, builtAs);
  await e2e?.stop();
});

describe('an upgrade while pages are open', () => {
  it('SYNC-10: pages built for the old version offer a reload, and the reload takes each place back', async () => {
    expect(JSON.parse(builtAs)).toEqual({ build: expect.stringMatching(/^[0-9a-f]{16}$/) });
    const {
      host,
      code,
      students: [dee],
    } = await openLobby(e2e, { lesson: 'lesson-1-postal' }, [{ nickname: 'Dee', ...PHONE }]);
    if (!dee) throw new Error('no page for Dee');
    await startRound(host, [dee]);
    // A start page loaded before the upgrade, used after it.
    const eve = await e2e.openPage(PHONE.width, PHONE.height, 'eve', true);

    writeFileSync(BUILD_FILE, `${JSON.stringify({ build: 'a-newer-build' })}\n`);
    await e2e.crashAndRestart();

    // The pages that were in the round come back to it, and find their build out of date.
    await dee.getByTestId('outdated').waitFor({ timeout: 30_000 });
    await host.getByTestId('outdated').waitFor({ timeout: 30_000 });
    expect(await dee.getByTestId('outdated').textContent()).toContain('Roundtrip was updated');
    await dee.screenshot({ path: `${SHOTS}/upgrade-outdated-phone.png` });
    await host.screenshot({ path: `${SHOTS}/upgrade-outdated-laptop.png` });
    // The old start page joins, and is told the same.
    await sendJoin(eve, code, 'Eve');
    await eve.getByTestId('outdated').waitFor({ timeout: 30_000 });

    // The reloads load the build now served: everyone is back where they were.
    writeFileSync(BUILD_FILE, builtAs);
    await dee.getByTestId('outdated-reload').click();
    await dee.getByTestId('phase').filter({ hasText: 'LIVE' }).waitFor({ timeout: 30_000 });
    expect(await text(dee, 'player-role')).toContain('Dee · West router');
    await eve.getByTestId('outdated-reload').click();
    await eve.getByTestId('phase').filter({ hasText: 'LIVE' }).waitFor({ timeout: 30_000 });
    expect(await text(eve, 'player-role')).toContain('Eve');
    await host.getByTestId('outdated-reload').click();
    await host.getByTestId('host-panel').waitFor({ timeout: 30_000 });
    expect(await text(host, 'player-role')).toContain(`code ${code}`);
    await host.getByTestId('host-players').filter({ hasText: 'Eve' }).waitFor();
    // While the server was down the browser itself logged the refused connections; nothing else.
    expect(e2e.problems.filter((p) => !/net::ERR_CONNECTION_REFUSED/.test(p))).toEqual([]);
  });
});

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join as pathJoin } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gslbScenario } from '../../packages/sim/src/testing/gslbScenario.ts';
import { type E2E, SHOTS, startE2E, text } from './harness.ts';

/**
 * The host's data-centre outage in the browser (SPEC HOST-6, DC-3): in every team at
 * once, then brought back in one team only; the resolvers' health checks (the players'
 * panels) see it. The lesson is the GSLB example network, served from a lessons folder
 * of its own (SCENARIOS_DIR).
 */

let e2e: E2E;
let lessonsDir = '';
beforeAll(async () => {
  lessonsDir = mkdtempSync(pathJoin(tmpdir(), 'roundtrip-dc-lessons-'));
  writeFileSync(pathJoin(lessonsDir, 'gslb-example.json'), JSON.stringify(gslbScenario()));
  e2e = await startE2E({ env: { SCENARIOS_DIR: lessonsDir } });
});
afterAll(async () => {
  await e2e?.stop();
  rmSync(lessonsDir, { recursive: true, force: true });
});

async function join(page: Page, code: string, nickname: string): Promise<void> {
  await page.getByTestId('join-code').fill(code);
  await page.getByTestId('join-nickname').fill(nickname);
  await page.getByTestId('join-submit').click();
  await page.getByTestId('banner').filter({ hasText: 'waiting for the host' }).waitFor();
}

/** Whether a player's resolver sees dc-west healthy, by its health checks. */
const westHealth = (page: Page) =>
  page.getByTestId('resolver-health-dc-west').getAttribute('class', { timeout: 30_000 });

describe('a data-centre outage from the host console', () => {
  it('HOST-6, DC-3: all teams go dark together; one team is brought back on its own', async () => {
    const host = await e2e.openPage(1280, 720, 'host');
    await host.getByTestId('host-lesson').selectOption('gslb-example');
    await host.getByTestId('host-speed').selectOption('1');
    await host.getByTestId('host-create').click();
    const code = (await text(host, 'lobby-code')).trim();
    // Two resolvers a team: Ann and Bob are team 1, Cy opens team 2.
    const ann = await e2e.openPage(1280, 720, 'ann');
    const bob = await e2e.openPage(390, 844, 'bob', true);
    const cy = await e2e.openPage(390, 844, 'cy', true);
    await join(ann, code, 'Ann');
    await join(bob, code, 'Bob');
    await join(cy, code, 'Cy');
    await host.getByTestId('host-start').click();
    for (const p of [ann, cy]) {
      await p.getByTestId('phase').filter({ hasText: 'LIVE' }).waitFor();
      expect(await text(p, 'player-role')).toContain('res-w');
    }
    expect(await text(cy, 'player-role')).toContain('Team 2');
    await expect.poll(() => westHealth(ann), { timeout: 30_000 }).toBe('health-up');

    // Every team: dc-west goes dark, and both teams' health checks find it down.
    await host.getByTestId('host-link-team').selectOption('all');
    await host.getByTestId('host-dc').selectOption('dc-west');
    await host.getByTestId('host-dc-down').click();
    for (const p of [ann, cy])
      await expect.poll(() => westHealth(p), { timeout: 30_000 }).toBe('health-down');
    await host.getByTestId('host-dc').screenshot({ path: `${SHOTS}/dc-outage-control.png` });
    await host.screenshot({ path: `${SHOTS}/dc-outage-host.png` });
    await cy.screenshot({ path: `${SHOTS}/dc-outage-390.png`, fullPage: true });

    // Team 1 only: it comes back there, and stays dark in team 2.
    await host.getByTestId('host-link-team').selectOption('0');
    await host.getByTestId('host-dc-up').click();
    await expect.poll(() => westHealth(ann), { timeout: 30_000 }).toBe('health-up');
    expect(await westHealth(cy)).toBe('health-down');
    expect(e2e.problems).toEqual([]);
  }, 180_000);
});

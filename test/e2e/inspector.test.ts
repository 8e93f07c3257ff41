import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type E2E, SHOTS, startE2E, text } from './harness.ts';

/**
 * The packet inspector in real Chromium against the real server (SPEC VIEW-5): a
 * player on a laptop clicks a packet on the canvas and a player on a phone taps one;
 * each reads its protocol, addresses and TTL while the shared round goes on.
 */

let e2e: E2E;

beforeAll(async () => {
  e2e = await startE2E();
});

afterAll(async () => {
  await e2e?.stop();
});

/** Clicks (or taps) a packet the canvas drew last frame, until the inspector opens. */
async function inspectAPacket(page: Page, how: 'mouse' | 'touch'): Promise<void> {
  for (let attempt = 0; attempt < 40; attempt++) {
    const target = await page.evaluate((n) => {
      const scene = window.__roundtripGame?.scene.getScene('network') as {
        drawnPackets?: { x: number; y: number }[];
      } | null;
      const canvas = document.querySelector('.stage canvas')?.getBoundingClientRect();
      const packets = scene?.drawnPackets ?? [];
      const p = packets[n % Math.max(1, packets.length)];
      return p && canvas ? { x: canvas.left + p.x, y: canvas.top + p.y } : null;
    }, attempt);
    if (target) {
      if (how === 'touch') await page.touchscreen.tap(target.x, target.y);
      else await page.mouse.click(target.x, target.y);
      if (await page.getByTestId('inspector').isVisible()) return;
    }
    await page.waitForTimeout(150);
  }
  throw new Error('no packet could be clicked open in 40 tries');
}

/** The simulated time the page's replica has reached, µs. */
const simNowUs = (page: Page) =>
  page.evaluate(() => {
    const game = window.__roundtripGame?.scene.getScene('network') as unknown as {
      vm?: { source: { replica: { sim: { nowUs: number } | null } } };
    } | null;
    return game?.vm?.source.replica.sim?.nowUs ?? -1;
  });

describe('the packet inspector in the browser', () => {
  it('a click on a laptop and a tap on a phone freeze a packet and show its headers; the round goes on', async () => {
    const host = await e2e.openPage(1280, 720, 'host');
    await host.getByTestId('host-lesson').selectOption('lesson-2-mail');
    await host.getByTestId('host-minutes').fill('2');
    await host.getByTestId('host-speed').selectOption('0.1');
    await host.getByTestId('host-create').click();
    const code = (await text(host, 'lobby-code')).trim();

    const ada = await e2e.openPage(1280, 800, 'ada');
    const bob = await e2e.openPage(390, 844, 'bob', true);
    for (const [page, nickname] of [
      [ada, 'Ada'],
      [bob, 'Bob'],
    ] as const) {
      await page.getByTestId('join-code').fill(code);
      await page.getByTestId('join-nickname').fill(nickname);
      await page.getByTestId('join-submit').click();
      await page.getByTestId('banner').filter({ hasText: 'waiting for the host' }).waitFor();
    }
    await host.getByTestId('lobby-players').filter({ hasText: 'Bob' }).waitFor();
    await host.getByTestId('host-start').click();
    for (const page of [ada, bob]) await page.getByTestId('phase').filter({ hasText: 'LIVE' }).waitFor();
    await ada.waitForTimeout(3_000);

    // Laptop: a click on a packet opens the inspector beside the map.
    await inspectAPacket(ada, 'mouse');
    const title = await text(ada, 'inspector-title');
    expect(title).toMatch(/^Packet \d+ · (TCP|UDP|QUIC)\b/);
    const ip = await text(ada, 'inspector-layer-ip');
    expect(ip).toMatch(/Source10\.\d+\.\d+\.\d+:\d+/);
    expect(ip).toMatch(/Destination10\.\d+\.\d+\.\d+:\d+/);
    expect(ip).toMatch(/Protocol(TCP \(6\)|UDP \(17\)|QUIC over UDP \(17\))/);
    expect(ip).toMatch(/TTL\d+/);
    expect(await text(ada, 'inspector-travelled')).toMatch(
      /ms (since it was sent|in the network|of being sent)/,
    );
    await ada.screenshot({ path: `${SHOTS}/inspect-desktop.png` });
    // Beside the map, not on it.
    const stage = await ada.locator('.stage').boundingBox();
    const panel = await ada.getByTestId('inspector').boundingBox();
    expect((panel?.x ?? 0) >= (stage?.x ?? 0) + (stage?.width ?? 0) - 1).toBe(true);
    // Frozen headers; the packet's fate follows it to its end; the shared round never paused.
    const frozen = ip;
    const before = await simNowUs(ada);
    await ada
      .getByTestId('inspector-fate')
      .filter({ hasText: /Delivered|Dropped/ })
      .waitFor({ timeout: 20_000 });
    expect(await text(ada, 'inspector-layer-ip')).toBe(frozen);
    expect(await text(ada, 'inspector-status')).toMatch(/^(Delivered by|Dropped (on|at) .+: )/);
    expect(await simNowUs(ada)).toBeGreaterThan(before);
    expect(await text(ada, 'phase')).toBe('LIVE');
    await ada.keyboard.press('Escape');
    await ada.getByTestId('inspector').waitFor({ state: 'hidden' });

    // The keyboard's way in: the map's button inspects the next packet drawn.
    await ada.getByTestId('inspect-next').focus();
    await ada.keyboard.press('Enter');
    await ada.getByTestId('inspector').waitFor();
    expect(await ada.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('inspector');
    await ada.keyboard.press('Escape');
    await ada.getByTestId('inspector').waitFor({ state: 'hidden' });

    // Phone: a tap opens a bottom sheet under the map.
    await bob.evaluate(() => window.scrollTo(0, 0));
    await inspectAPacket(bob, 'touch');
    expect(await text(bob, 'inspector-title')).toMatch(/^Packet \d+ · (TCP|UDP|QUIC)\b/);
    expect(await text(bob, 'inspector-layer-ip')).toMatch(/TTL\d+/);
    const map = await bob.locator('.stage').boundingBox();
    const sheet = await bob.getByTestId('inspector').boundingBox();
    expect(sheet?.y ?? 0).toBeGreaterThanOrEqual((map?.y ?? 0) + (map?.height ?? 0) - 1);
    await bob.screenshot({ path: `${SHOTS}/inspect-phone.png` });
    await bob.getByTestId('inspector-close').tap();
    await bob.getByTestId('inspector').waitFor({ state: 'hidden' });

    expect(e2e.problems).toEqual([]);
  });
});

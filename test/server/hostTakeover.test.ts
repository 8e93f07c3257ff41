/** The teacher takes the round back from another tab or device (SPEC CLASS-2), in-process. */
import { boot, type ColyseusTestServer } from '@colyseus/testing';
import { HOST_MOVED_CLOSE_CODE, type RoomState } from '@roundtrip/protocol';
import { appConfig } from '@roundtrip/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../serverProcess.ts';
import { createClass, eventually, Inbox, joinAs } from './helpers.ts';

let colyseus: ColyseusTestServer;
beforeAll(async () => {
  colyseus = await boot(appConfig, await freePort());
});
afterAll(async () => {
  await colyseus.shutdown();
});

describe('the host link (SPEC CLASS-2)', () => {
  it('CLASS-2: another tab with the host token becomes the host; the old tab is let go for good', async () => {
    const host = await createClass(colyseus, { scenario: 'lesson-1-postal', durationS: 600, timeScale: 1 });
    const hostToken = (await host.inbox.waitFor('welcome')).hostToken as string;
    const ann = await joinAs(colyseus, host.code, 'Ann');
    host.room.send('host.start', {});
    await eventually(() => expect(ann.room.state.phase).toBe('running'));

    const oldClosed = new Promise<number>((ok) => host.room.onLeave((code) => ok(code)));
    const other = await colyseus.sdk.joinById<RoomState>(host.code, { hostToken });
    const inbox = new Inbox(other);
    expect(await oldClosed).toBe(HOST_MOVED_CLOSE_CODE);
    expect((await inbox.waitFor('welcome')).role).toBe('host');
    // The new tab's controls work: it pauses the round.
    other.send('host.pause', {});
    await eventually(() => expect(ann.room.state.phase).toBe('paused'));
    expect(ann.room.state.hostConnected).toBe(true);

    // Players see the host away when the host's tab goes, and back when the link is used again.
    await other.leave();
    await eventually(() => expect(ann.room.state.hostConnected).toBe(false));
    const third = await colyseus.sdk.joinById<RoomState>(host.code, { hostToken });
    await eventually(() => expect(ann.room.state.hostConnected).toBe(true));
    third.send('host.end', {});
    await eventually(() => expect(ann.room.state.phase).toBe('ended'));
  });

  it('CLASS-2: a wrong host token is refused', async () => {
    const host = await createClass(colyseus, { scenario: 'lesson-1-postal' });
    await expect(colyseus.sdk.joinById<RoomState>(host.code, { hostToken: 'x'.repeat(24) })).rejects.toThrow(
      /host token/,
    );
  });
});

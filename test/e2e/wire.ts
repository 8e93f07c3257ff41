/**
 * What a page actually received over its WebSocket, decoded in the test itself: the
 * Colyseus frames Chromium saw (`page.on('websocket')`), the state rebuilt from the
 * handshake's schema reflection and every full state and patch, and the messages.
 * Independent of the page's own code, so a filter that leaks shows here.
 */
import { type Decoder, decode, Encoder, Reflection } from '@colyseus/schema';
import { CompetitionState } from '@roundtrip/protocol';
import { unpack } from 'msgpackr';
import type { Page } from 'playwright-core';

/** Colyseus' protocol codes and masks (@colyseus/shared-types Protocol). */
const JOIN_ROOM = 10;
const ROOM_DATA = 13;
const ROOM_STATE = 14;
const ROOM_STATE_PATCH = 15;
const CODE_MASK = 31;
const TIMED = 128;
const UNRELIABLE = 64;

/** Everything one page received from the room. */
export class WireLog {
  /** The room state as the received bytes build it (null before the handshake). */
  decoder: Decoder | null = null;
  readonly messages: { type: string; message: unknown }[] = [];
  /** Bytes received, by frame kind. */
  readonly bytes = { state: 0, patch: 0, data: 0 };

  /** Records every binary frame `page` receives from now on. */
  static attach(page: Page): WireLog {
    const log = new WireLog();
    page.on('websocket', (ws) => {
      ws.on('framereceived', ({ payload }) => {
        if (typeof payload !== 'string') log.feed(new Uint8Array(payload));
      });
    });
    return log;
  }

  feed(buf: Uint8Array): void {
    const raw = buf[0] ?? 0;
    const code = raw & CODE_MASK;
    const it = { offset: 1 };
    if (raw & TIMED) it.offset += 8;
    if (code === JOIN_ROOM) {
      decode.utf8Read(buf, it, buf[it.offset++] ?? 0); // reconnection token
      decode.utf8Read(buf, it, buf[it.offset++] ?? 0); // serializer id
      const len = decode.number(buf, it);
      // The page has its own schema classes and asks for no reflection: decode with classes
      // reflected from the server's competition schema, which have no defaults, so a field
      // that never arrived stays absent.
      this.decoder =
        len > 0 ? Reflection.decode(buf.subarray(0, it.offset + len), it) : reflectedCompetitionDecoder();
    } else if (code === ROOM_STATE) {
      this.bytes.state += buf.byteLength;
      this.decoder?.decode(buf, it);
    } else if (code === ROOM_STATE_PATCH) {
      this.bytes.patch += buf.byteLength;
      if (raw & UNRELIABLE) it.offset += 2;
      this.decoder?.decode(buf, it);
    } else if (code === ROOM_DATA) {
      this.bytes.data += buf.byteLength;
      const type = decode.stringCheck(buf, it) ? decode.string(buf, it) : String(decode.number(buf, it));
      const message = buf.byteLength > it.offset ? unpack(buf.subarray(it.offset)) : undefined;
      this.messages.push({ type, message });
    }
  }

  /** The decoded state as plain JSON (fields never received are absent). */
  state(): Record<string, unknown> {
    return (this.decoder?.state as { toJSON(): Record<string, unknown> } | undefined)?.toJSON() ?? {};
  }

  /** Every schema instance the received bytes ever created. */
  refs(): unknown[] {
    return this.decoder ? [...this.decoder.root.refs.values()] : [];
  }

  /** The `copy` of every message of `type` received. */
  copiesOf(type: string): Set<number> {
    return new Set(
      this.messages.filter((m) => m.type === type).map((m) => (m.message as { copy: number }).copy),
    );
  }
}

function reflectedCompetitionDecoder(): Decoder {
  return Reflection.decode(Reflection.encode(new Encoder(new CompetitionState())));
}

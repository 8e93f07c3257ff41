/**
 * A DNS message as it travels in a packet on the `dns` channel (UDP, port 53): one
 * question for an A record and, in a response, the answer's addresses with their TTL
 * or a negative answer with its SOA's timers. Its size on the wire follows RFC 1035's
 * format (§4.1).
 */
import type { Rcode } from './cache.ts';

export type { Rcode } from './cache.ts';

/** The well-known DNS port. */
export const DNS_PORT = 53;

/** Whose cache answered a lookup: the stub's own, its resolver's, or none (the authority was asked). */
export type DnsSource = 'stub' | 'resolver' | 'authority';

/** Why a lookup failed: no answer after every retry, or the resolver's SERVFAIL. */
export type DnsFailure = 'timeout' | 'servfail';

/** One DNS message (type A, class IN). */
export interface DnsMessage {
  /** The 16-bit ID that pairs a response with its query. */
  id: number;
  qr: 'query' | 'response';
  name: string;
  /** NOERROR in queries. */
  rcode: Rcode;
  /** Answer addresses (as in packets); empty in queries and negative answers. */
  addrs: number[];
  /** The answer RRset's TTL, seconds (0 in queries and negative answers). */
  ttlS: number;
  /** Negative answers: the SOA record's MINIMUM and its own TTL, seconds (RFC 2308). */
  soaMinimumS?: number;
  soaTtlS?: number;
  /**
   * Not on the wire (the simulation's annotation, for records and the inspector): a
   * resolver answered from its cache, and the answer was stale (RFC 8767).
   */
  fromCache: boolean;
  stale: boolean;
  /** Not on the wire: the anycast resolver instance (node index) that sent this answer (SPEC ANY-3). */
  by?: number;
}

/** Header (12 bytes), and each A record in the answer section: a name pointer 2, type 2, class 2, TTL 4, RDLENGTH 2, address 4. */
export const DNS_HEADER_BYTES = 12;
export const A_RECORD_BYTES = 16;
/** The SOA in a negative answer's authority section: owner, MNAME and RNAME as 2-byte pointers, 10 bytes of type/class/TTL/RDLENGTH, 5 × 4 bytes of timers. */
export const SOA_RECORD_BYTES = 2 + 10 + 2 + 2 + 20;

/** Bytes of the DNS message (the UDP payload): header, question (name as labels, QTYPE, QCLASS), answers. */
export function dnsMessageBytes(m: DnsMessage): number {
  // "www.example" is encoded 3www7example0: one length byte per label and a closing zero.
  const questionBytes = m.name.length + 2 + 4;
  const answerBytes =
    m.qr === 'query' || m.rcode === 'SERVFAIL'
      ? 0
      : m.addrs.length > 0
        ? m.addrs.length * A_RECORD_BYTES
        : SOA_RECORD_BYTES;
  return DNS_HEADER_BYTES + questionBytes + answerBytes;
}

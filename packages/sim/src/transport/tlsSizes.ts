/**
 * Sizes of TLS flights and of HTTP/2-like stream chunks (SPEC TLS-1..4, H2-1), shared by
 * the TCP application (appFlights.ts) and QUIC, which carries TLS inside its transport.
 */

/** TLS ClientHello, with key share (and PSK on resumption). */
export const CLIENT_HELLO_BYTES = 300;
/** Server flight with a certificate chain: TLS 1.3 ServerHello…Finished, or TLS 1.2 ServerHello…ServerHelloDone. */
export const SERVER_FLIGHT_BYTES = 4_000;
/** Resumed TLS 1.3 server flight: ServerHello, EncryptedExtensions, Finished; no certificate. */
export const SERVER_RESUMED_FLIGHT_BYTES = 200;
/** TLS 1.3 client Finished. */
export const CLIENT_FINISHED_BYTES = 50;
/** TLS 1.2 ClientKeyExchange + ChangeCipherSpec + Finished. */
export const TLS12_CLIENT_FINISH_BYTES = 130;
/** TLS 1.2 server ChangeCipherSpec + Finished. */
export const TLS12_SERVER_FINISH_BYTES = 51;
/** Bytes of one stream sent before the next stream's turn when responses are interleaved (SPEC H2-1). */
export const STREAM_CHUNK_BYTES = 1_000;

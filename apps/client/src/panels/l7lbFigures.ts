/** What the L7 balancer's panel says of its pools and CPU, in words (SPEC LB-UI-3). */
import type { L7lbView, L7PoolView } from '@roundtrip/sim';

/** A pool's mean latency: '—' before its first completed request, else whole ms. */
export function latencyText(p: Pick<L7PoolView, 'completed' | 'meanLatencyMs'>): string {
  return p.completed === 0 ? '—' : `${Math.round(p.meanLatencyMs)} ms`;
}

/** A pool's requests: completed and failed. */
export function requestsText(p: Pick<L7PoolView, 'completed' | 'failed'>): string {
  return `${p.completed} done · ${p.failed} failed`;
}

/** A pool's backend handshakes: made, and saved by the keep-alive pool. */
export function handshakesText(p: Pick<L7PoolView, 'handshakes' | 'handshakesSaved'>): string {
  return `${p.handshakes} made · ${p.handshakesSaved} saved`;
}

/** The balancer's CPU: its busy share since the start, as a whole percent. */
export function cpuBusyText(cpu: Pick<L7lbView['cpu'], 'busyShare'>): string {
  return `${Math.round(cpu.busyShare * 100)} %`;
}

/** The balancer's CPU queue against its limit, and the requests it refused for a full one. */
export function cpuQueueText(cpu: Pick<L7lbView['cpu'], 'queued' | 'queueLimit' | 'refused'>): string {
  return `${cpu.queued}/${cpu.queueLimit}${cpu.refused > 0 ? ` · ${cpu.refused} refused` : ''}`;
}

/** Why a pool size typed in the panel is refused before it is sent, or null (0–`max`, whole). */
export function poolSizeProblem(text: string, max: number): string | null {
  const n = Number(text);
  return text.trim() !== '' && Number.isInteger(n) && n >= 0 && n <= max
    ? null
    : `A pool size is a whole number from 0 to ${max}.`;
}

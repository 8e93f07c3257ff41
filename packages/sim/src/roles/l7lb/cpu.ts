/**
 * The L7 balancer's own CPU (SPEC LB-L7-6): reading and routing a request costs it
 * `serviceUs`; it works on at most `concurrency` requests at once and queues the rest in
 * arrival order, up to `queueLimit`; a request beyond that is refused. The same
 * discipline as a data centre's server (DC-2), over the balancer's request ids; the
 * caller schedules each finish `serviceUs` after its start. Plain data (SIM-7).
 */

export interface CpuSpec {
  serviceUs: number;
  concurrency: number;
  queueLimit: number;
}

export interface CpuState {
  /** Request ids being worked on, and waiting (oldest first). */
  active: number[];
  queue: number[];
  /** Requests finished, refused; the most that waited at once; µs of work done (for the busy share). */
  done: number;
  refused: number;
  peakQueue: number;
  busyUs: number;
}

export function initialCpu(): CpuState {
  return { active: [], queue: [], done: 0, refused: 0, peakQueue: 0, busyUs: 0 };
}

/** A request arrives: `start` (the caller schedules its finish), `queued`, or `refused` (the queue is full). */
export function admit(cpu: CpuState, spec: CpuSpec, id: number): 'start' | 'queued' | 'refused' {
  if (cpu.active.length < spec.concurrency) {
    cpu.active.push(id);
    return 'start';
  }
  if (cpu.queue.length < spec.queueLimit) {
    cpu.queue.push(id);
    cpu.peakQueue = Math.max(cpu.peakQueue, cpu.queue.length);
    return 'queued';
  }
  cpu.refused++;
  return 'refused';
}

/** Request `id` finished its work: the next waiting one starts (returned, the caller schedules its finish), or −1. */
export function finish(cpu: CpuState, spec: CpuSpec, id: number): number {
  const at = cpu.active.indexOf(id);
  if (at < 0) return -1;
  cpu.active.splice(at, 1);
  cpu.done++;
  cpu.busyUs += spec.serviceUs;
  const next = cpu.queue.shift();
  if (next === undefined) return -1;
  cpu.active.push(next);
  return next;
}

/** The share of the CPU's capacity used over `elapsedUs` (0–1): work done over concurrency × time. */
export function busyShare(cpu: CpuState, spec: CpuSpec, elapsedUs: number): number {
  return elapsedUs <= 0 ? 0 : Math.min(1, cpu.busyUs / (spec.concurrency * elapsedUs));
}

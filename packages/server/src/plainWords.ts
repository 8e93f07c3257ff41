import type { ErrorCode, Phase } from '@roundtrip/protocol';

/** What the room knows when it words a refusal for a person. */
export interface RefusalContext {
  phase: Phase;
  /** A node's name as the map shows it ("West router" for "r-west"); the id when it has none. */
  label(nodeId: string): string;
}

/** Why a message is refused in each phase, as the person who sent it reads it. */
const PHASE_WORDS: Record<Phase, string> = {
  lobby: "The round hasn't started yet: wait for your teacher to start it.",
  running: 'The round is already running.',
  paused: 'The round is paused: wait for your teacher to resume it.',
  ended: 'The round has ended.',
};

/**
 * A refusal in plain words (SPEC MSG-8): what a student or teacher can act on, not
 * the rule's wording ("route.set is not allowed while the round is lobby"). Rate-limit
 * warnings are already worded for people and pass through.
 */
export function plainRefusal(code: ErrorCode, message: string, request: string, ctx: RefusalContext): string {
  switch (code) {
    case 'wrong-phase':
      // host.resume while running means "not paused"; say that rather than "already running".
      if (request === 'host.resume' && ctx.phase === 'running') return 'The round is not paused.';
      return PHASE_WORDS[ctx.phase];
    case 'forbidden':
      if (request.startsWith('host.')) return 'Only the teacher (the host) can do that.';
      return "Your seat can't do that: it belongs to another role.";
    case 'unknown-message':
    case 'invalid-message':
      // The detail names the field (SPEC MSG-1); a page that sends this is out of date.
      return `This page sent something the server could not read (${message}). Reload the page and try again.`;
    case 'rejected':
      return plainCommandError(message, ctx);
    case 'rate-limited':
      return message;
  }
}

/** A simulation's refusal (SPEC CMD-1) with nodes named as on the map, as one sentence. */
function plainCommandError(message: string, ctx: RefusalContext): string {
  const notNeighbour = /^"(.+)" is not a neighbour of (.+)$/.exec(message);
  if (notNeighbour)
    return `${ctx.label(notNeighbour[1] ?? '')} is not a neighbour of ${ctx.label(notNeighbour[2] ?? '')}: pick one it has a link to.`;
  const badPrefix = /^"(.+)" is not a prefix like/.exec(message);
  if (badPrefix)
    return `"${badPrefix[1]}" is not a network prefix: write one like 10.2.0.0/16 (the address bits after the /16 are zero).`;
  const noRoute = /^(.+) has no route for (.+)$/.exec(message);
  if (noRoute) return `There is no route for ${noRoute[2]} to delete.`;
  const gone = /^packet (\d+) is not waiting at/.exec(message);
  if (gone) return `Packet #${gone[1]} is not waiting any more: it was sent on or ran out of time.`;
  const noInterface = /^(.+) has no interface towards (.+)$/.exec(message);
  if (noInterface) return `Your router has no link towards ${ctx.label(noInterface[2] ?? '')}.`;
  const sentence = message.charAt(0).toUpperCase() + message.slice(1);
  return /[.!?]$/.test(sentence) ? sentence : `${sentence}.`;
}

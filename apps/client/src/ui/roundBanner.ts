/** What the round's status banner says, and how it looks (SPEC CLASS-2, COVER-1). */
export interface BannerState {
  text: string;
  /** `away`: someone is missing (the teacher, or the player, whose seat a bot covers). */
  tone: 'plain' | 'away';
}

/**
 * The banner above the map: the lobby's wait, a pause, the teacher away, or a bot covering
 * for this player; hidden (null) while the round simply runs.
 */
export function roundBanner(s: {
  isHost: boolean;
  phase: string;
  hostConnected: boolean;
  /** A bot covers this player's seat (SPEC COVER-1). */
  covered: boolean;
  /** The player's seat and team, as the page names them. */
  seat: string;
  team: string;
  /** What a paused round says (practice pauses itself; a class round is paused by the host). */
  pausedText?: string | undefined;
}): BannerState | null {
  if (s.phase === 'ended') return null;
  // Players are told when the teacher's tab has gone (SPEC CLASS-2); the round carries on.
  if (!s.isHost && !s.hostConnected)
    return {
      text: 'Your teacher is away for the moment. The round carries on; they can take it back.',
      tone: 'away',
    };
  if (s.phase === 'lobby')
    return {
      text: s.isHost
        ? 'Waiting to start.'
        : `You are ${s.seat} in ${s.team} — waiting for the host to start.`,
      tone: 'plain',
    };
  if (s.phase === 'paused') return { text: s.pausedText ?? 'Paused by the host.', tone: 'plain' };
  if (!s.isHost && s.covered)
    return {
      text: 'A bot is covering for you while you are away. Act in your panel to take your seat back.',
      tone: 'away',
    };
  return null;
}

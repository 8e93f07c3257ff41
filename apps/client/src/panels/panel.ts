import type { GameSession } from '../net/gameSession.ts';

/** A role's panel on the round screen: the controls of the player's own seat. */
export interface RolePanel {
  el: HTMLElement;
  /** Refreshes from the replica and the room state (called every few hundred ms). */
  update(): void;
  /** A node was clicked on the map. */
  nodeClicked(id: string): void;
}

/** A role's panel module: the role's name as players read it, and how to build its panel. */
export interface RolePanelModule {
  /** The role in words, e.g. "router" ("You are router West"). */
  name: string;
  /** The panel for the seat at `node` of copy `copy`. */
  create(session: GameSession, node: string, copy: number): RolePanel;
}

import type { RoleName } from '@roundtrip/sim';
import { l4lbPanel } from './l4lb.ts';
import { l7lbPanel } from './l7lb.ts';
import type { RolePanelModule } from './panel.ts';
import { resolverPanel } from './resolver.ts';
import { routerPanel } from './router.ts';

export type { RolePanel, RolePanelModule } from './panel.ts';

/**
 * Each role's panel, one line per role; the compiler asks for an entry for
 * every RoleName, so a new role comes with its panel.
 */
const PANELS: { readonly [R in RoleName]: RolePanelModule } = {
  router: routerPanel,
  resolver: resolverPanel,
  l4lb: l4lbPanel,
  l7lb: l7lbPanel,
};

/** The panel module for a seat's role (as the room state carries it), or null for a role this client lacks. */
export function panelFor(role: string): RolePanelModule | null {
  return Object.hasOwn(PANELS, role) ? PANELS[role as RoleName] : null;
}

/** A role in words, for seats shown anywhere ("router"); an unknown role as it was sent. */
export function roleName(role: string): string {
  return panelFor(role)?.name ?? role;
}

/**
 * A seat as people read it: "router West border (r-west)", "West router (r-west)" when
 * the label already names the role, or "router r-west" without a label.
 */
export function seatName(role: string, node: string, label?: string): string {
  const name = roleName(role);
  if (!label || label === node) return `${name} ${node}`;
  const namesRole = label.toLowerCase().split(/\s+/).includes(name.toLowerCase());
  return namesRole ? `${label} (${node})` : `${name} ${label} (${node})`;
}

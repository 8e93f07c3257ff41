/** How long a toast stays up, ms. */
const TOAST_MS = 6_000;
/** A toast's widest (styles.css .toast) and the margin it keeps from the window's edges, px. */
const TOAST_MAX_W = 300;
const EDGE_PX = 8;

/** Where an anchored toast goes: under the control, or above it when there is no room, always inside the window. */
export function toastPlace(
  box: { left: number; top: number; bottom: number },
  toastHeight: number,
  view: { width: number; height: number },
): { left: number; top: number } {
  const width = Math.min(TOAST_MAX_W, view.width - 2 * EDGE_PX);
  const left = Math.max(EDGE_PX, Math.min(box.left, view.width - width - EDGE_PX));
  const below = box.bottom + 6;
  const above = box.top - 6 - toastHeight;
  const top =
    below + toastHeight <= view.height - EDGE_PX
      ? below
      : above >= EDGE_PX
        ? above
        : view.height - EDGE_PX - toastHeight;
  return { left, top: Math.max(EDGE_PX, top) };
}

/**
 * Shows a short message. With an anchor, the toast sits just under that control
 * (so "that route was refused" appears by the route form), inside the window;
 * otherwise at the bottom.
 */
export function showToast(text: string, anchor: HTMLElement | null, kind: 'error' | 'info' = 'info'): void {
  const region = document.getElementById('toasts');
  if (!region) return;
  const el = document.createElement('div');
  el.className = `toast toast-${kind}`;
  el.setAttribute('role', kind === 'error' ? 'alert' : 'status');
  el.dataset.testid = 'toast';
  el.textContent = text;
  region.append(el);
  const box = anchor?.isConnected ? anchor.getBoundingClientRect() : null;
  if (box && box.width > 0) {
    el.classList.add('toast-anchored');
    const at = toastPlace(box, el.offsetHeight, { width: window.innerWidth, height: window.innerHeight });
    el.style.left = `${at.left}px`;
    el.style.top = `${at.top}px`;
  }
  setTimeout(() => el.remove(), TOAST_MS);
}

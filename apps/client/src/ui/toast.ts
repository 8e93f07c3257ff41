/** How long a toast stays up, ms. */
const TOAST_MS = 5_000;

/**
 * Shows a short message. With an anchor, the toast sits just under that control
 * (so "that route was refused" appears by the route form); otherwise at the bottom.
 */
export function showToast(text: string, anchor: HTMLElement | null, kind: 'error' | 'info' = 'info'): void {
  const region = document.getElementById('toasts');
  if (!region) return;
  const el = document.createElement('div');
  el.className = `toast toast-${kind}`;
  el.setAttribute('role', kind === 'error' ? 'alert' : 'status');
  el.dataset.testid = 'toast';
  el.textContent = text;
  const box = anchor?.isConnected ? anchor.getBoundingClientRect() : null;
  if (box && box.width > 0) {
    el.classList.add('toast-anchored');
    el.style.left = `${Math.max(8, Math.min(box.left, window.innerWidth - 320))}px`;
    el.style.top = `${Math.min(box.bottom + 6, window.innerHeight - 60)}px`;
  }
  region.append(el);
  setTimeout(() => el.remove(), TOAST_MS);
}

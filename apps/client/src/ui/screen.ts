/** One screen of the app: its root element, a refresh, and teardown. */
export interface Screen {
  kind: string;
  el: HTMLElement;
  update(): void;
  destroy(): void;
  /** Called once `el` is in the page (so it has its real size). */
  mounted?(): void;
}

/**
 * Presenter mode's button, the shortcuts button and the keyboard-shortcut sheet (a modal <dialog>: focus stays
 * inside while it is open, Escape or Close shuts it and focus returns where it was). State lives in
 * state/presenterStore.ts and the key mapping in shortcuts.ts; the page session (sim/pageSession.ts) acts on the keys.
 */
import { useEffect, useRef } from "react";
import { presenterActions, usePresenter } from "../state/presenterStore.ts";
import { SHORTCUTS } from "../shortcuts.ts";

export function PresenterControls() {
  const on = usePresenter((s) => s.on);
  return (
    <div className="presenter-controls">
      <button type="button" aria-pressed={on} onClick={() => presenterActions.setPresenter()} data-testid="presenter-toggle">
        Presenter mode
      </button>
      <button type="button" onClick={() => presenterActions.openSheet()} data-testid="shortcuts-open" aria-haspopup="dialog">
        Keyboard shortcuts <kbd aria-hidden="true">?</kbd>
      </button>
    </div>
  );
}

export function ShortcutSheet() {
  const open = usePresenter((s) => s.sheet);
  const ref = useRef<HTMLDialogElement>(null);
  const closeRef = useRef<HTMLButtonElement>(null);
  /** Where focus was before the sheet opened: it goes back there when the sheet closes. */
  const before = useRef<Element | null>(null);

  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) {
      before.current = document.activeElement;
      d.showModal();
      closeRef.current?.focus();
    } else if (!open && d.open) {
      d.close();
    }
  }, [open]);

  return (
    <dialog
      ref={ref}
      className="shortcut-sheet"
      aria-labelledby="shortcuts-heading"
      data-testid="shortcut-sheet"
      onClose={() => {
        presenterActions.closeSheet();
        const b = before.current;
        before.current = null;
        if (b instanceof HTMLElement && b.isConnected && b !== document.body) b.focus();
      }}
      onClick={(e) => {
        // A click on the backdrop (outside the sheet's box) closes it.
        const r = e.currentTarget.getBoundingClientRect();
        const outside = e.clientX < r.left || e.clientX > r.right || e.clientY < r.top || e.clientY > r.bottom;
        if (e.target === e.currentTarget && outside) presenterActions.closeSheet();
      }}
    >
      <h2 id="shortcuts-heading">Keyboard shortcuts</h2>
      <p className="hint">They work anywhere on the page except while typing in a field.</p>
      <table className="shortcut-table">
        <caption className="visually-hidden">Keys and what they do</caption>
        <thead>
          <tr><th scope="col">Key</th><th scope="col">Does</th></tr>
        </thead>
        <tbody>
          {SHORTCUTS.map((s) => (
            <tr key={s.does}>
              <th scope="row">{s.keys.map((k, i) => (k === "…" ? <span key={i}> … </span> : <kbd key={i}>{k}</kbd>))}</th>
              <td>{s.does}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <button type="button" ref={closeRef} className="primary" onClick={() => presenterActions.closeSheet()} data-testid="shortcuts-close">
        Close
      </button>
    </dialog>
  );
}

/**
 * The keyboard shortcuts, without React: the sheet's rows, the mapping from a key press to a shortcut (none while
 * typing in a field or with a dialog open), and how focus arrived (a pointer's press or otherwise).
 */

export type Shortcut =
  | { kind: "presenter" }
  | { kind: "play" }
  | { kind: "step"; delta: -1 | 1 }
  | { kind: "preset"; index: number }
  | { kind: "sheet" };

/** The sheet's rows: the keys and what they do. */
export const SHORTCUTS: readonly { keys: string[]; does: string }[] = [
  { keys: ["Space"], does: "Play or pause the run" },
  { keys: ["←", "→"], does: "Previous or next step of the open lesson" },
  { keys: ["1", "…", "9"], does: "Choose one of the first nine coatings in the list" },
  { keys: ["P"], does: "Presenter mode on or off (full screen, larger type)" },
  { keys: ["?"], does: "This list of shortcuts" },
  { keys: ["Esc"], does: "Close this list" },
];

interface KeyLike {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  defaultPrevented: boolean;
  target: EventTarget | null;
}

/** Elements whose own keys must win: typing, choosing, sliding. */
function isEditing(t: Element): boolean {
  if (t instanceof HTMLTextAreaElement || t instanceof HTMLSelectElement) return true;
  if (t instanceof HTMLInputElement) return !["button", "submit", "reset", "checkbox", "file"].includes(t.type);
  return t instanceof HTMLElement && t.isContentEditable;
}

/**
 * The element a pointer press just focused (a button, a layer's radio, a coating), until focus moves by other means.
 * A lecturer clicks "Presenter mode" or a coating and then presses Space to play: Space should not press that button
 * again (or re-pick the radio), as it would for a keyboard user who tabbed there, for whom the element keeps Space.
 */
let pointerFocused: Element | null = null;
let pointerAt = -Infinity;

/** Starts watching how focus arrives (by pointer or otherwise); returns the function that stops it. */
export function trackPointerFocus(doc: Document = document): () => void {
  const down = () => { pointerAt = performance.now(); };
  // Focus that follows a press at once came from it; any other (Tab, arrow keys, a script) did not.
  const focus = (e: FocusEvent) => { pointerFocused = performance.now() - pointerAt < 300 && e.target instanceof Element ? e.target : null; };
  // A press on the element that already has focus moves no focus, but it is a pointer's now.
  const click = (e: MouseEvent) => {
    const a = doc.activeElement;
    if (e.detail > 0 && a && e.target instanceof Node && a.contains(e.target)) pointerFocused = a;
  };
  doc.addEventListener("pointerdown", down, true);
  doc.addEventListener("focusin", focus, true);
  doc.addEventListener("click", click, true);
  return () => {
    doc.removeEventListener("pointerdown", down, true);
    doc.removeEventListener("focusin", focus, true);
    doc.removeEventListener("click", click, true);
    pointerFocused = null;
  };
}

/** Elements that act on Space themselves (a button clicks, a listbox selects). */
function takesSpace(t: Element): boolean {
  return !!t.closest("button, a[href], summary, input, [role=button], [role=listbox], [role=option], [role=checkbox], [role=switch], [role=tab], [role=radio]");
}

/**
 * The shortcut a key press means, or null: none while typing in a field, while a modal dialog is open, with
 * Ctrl/Alt/Meta held, or where an element already handled the key.
 */
export function shortcutFor(e: KeyLike, lessonOpen: boolean): Shortcut | null {
  if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey) return null;
  const t = e.target instanceof Element ? e.target : null;
  // Space on what a click just focused (a button, a layer's radio, a slider, a coating) plays, as a lecturer means.
  if ((e.key === " " || e.key === "Spacebar") && t && t === pointerFocused && !document.querySelector("dialog[open]")) {
    const chosen = t instanceof HTMLInputElement && (t.type === "radio" || t.type === "range");
    if (chosen || !isEditing(t)) return { kind: "play" };
  }
  if (t && isEditing(t)) return null;
  if (document.querySelector("dialog[open]")) return null;
  // In the coatings list a letter jumps to a coating's name (type-ahead), so P stays the list's there.
  if (e.key === "p" || e.key === "P") return t?.closest("[role=listbox]") ? null : { kind: "presenter" };
  if (e.key === "?") return { kind: "sheet" };
  if (e.key === " " || e.key === "Spacebar") return t && takesSpace(t) ? null : { kind: "play" };
  if ((e.key === "ArrowLeft" || e.key === "ArrowRight") && lessonOpen) return { kind: "step", delta: e.key === "ArrowLeft" ? -1 : 1 };
  if (/^[1-9]$/.test(e.key)) return { kind: "preset", index: Number(e.key) - 1 };
  return null;
}

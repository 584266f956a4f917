import { useEffect, useRef, type KeyboardEvent } from "react";
import type { Preset } from "../../model/presetTypes.ts";
import { byNumeral } from "./DesignCard.tsx";
import { formulaText } from "../text.ts";

interface Props {
  presets: readonly Preset[];
  selectedId: string;
  onSelect: (p: Preset) => void;
  describedBy?: string;
}

const optionId = (id: string) => `preset-option-${id}`;

/**
 * A single-select listbox (WAI-ARIA pattern): one tab stop, selection follows the arrow keys, Home/End jump,
 * typing a letter jumps to the next coating whose name starts with it.
 */
export function PresetList({ presets, selectedId, onSelect, describedBy }: Props) {
  const listRef = useRef<HTMLUListElement>(null);
  const index = Math.max(0, presets.findIndex((p) => p.id === selectedId));

  // Scroll only the list (scrollIntoView would scroll the page too and push the header away).
  useEffect(() => {
    const list = listRef.current;
    const el = document.getElementById(optionId(selectedId));
    if (!list || !el) return;
    const ring = 6; // room for the focus outline
    const top = el.offsetTop - ring;
    const bottom = el.offsetTop + el.offsetHeight + ring;
    if (top < list.scrollTop) list.scrollTop = Math.max(0, top);
    else if (bottom > list.scrollTop + list.clientHeight) list.scrollTop = bottom - list.clientHeight;
  }, [selectedId]);

  const go = (i: number) => {
    const next = presets[Math.min(presets.length - 1, Math.max(0, i))];
    if (next && next.id !== selectedId) onSelect(next);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLUListElement>) => {
    const page = 5;
    switch (e.key) {
      case "ArrowDown": go(index + 1); break;
      case "ArrowUp": go(index - 1); break;
      case "Home": go(0); break;
      case "End": go(presets.length - 1); break;
      case "PageDown": go(index + page); break;
      case "PageUp": go(index - page); break;
      case "Enter":
      case " ":
        // The coating on show already: Space is left to the page (play or pause), not a restart of the same coating.
        if (presets[index]!.id === selectedId) return;
        onSelect(presets[index]!);
        break;
      default: {
        if (e.key.length !== 1 || e.altKey || e.ctrlKey || e.metaKey) return;
        const ch = e.key.toLowerCase();
        for (let k = 1; k <= presets.length; k++) {
          const p = presets[(index + k) % presets.length]!;
          if (p.name.toLowerCase().startsWith(ch)) { onSelect(p); break; }
        }
        return;
      }
    }
    e.preventDefault();
  };

  return (
    <ul
      ref={listRef}
      className="preset-list"
      role="listbox"
      tabIndex={0}
      aria-labelledby="presets-heading"
      aria-describedby={describedBy}
      aria-activedescendant={optionId(selectedId)}
      onKeyDown={onKeyDown}
    >
      {presets.map((p) => (
        <li
          key={p.id}
          id={optionId(p.id)}
          role="option"
          aria-selected={p.id === selectedId}
          data-preset-id={p.id}
          className="preset-option"
          onClick={() => {
            onSelect(p);
            listRef.current?.focus();
          }}
        >
          <span className="preset-name">{formulaText(p.name)}</span>
          <span className="preset-kind">{p.kind}</span>
          <span className="preset-principles">
            {p.principles.length === 0 ? (
              <span className="tag tag-ref">reference</span>
            ) : (
              [...p.principles].sort(byNumeral).map((pr) => (
                <span key={pr} className={`tag principle-${pr}`}>
                  <span className="visually-hidden">principle </span>
                  {pr}
                </span>
              ))
            )}
          </span>
        </li>
      ))}
    </ul>
  );
}

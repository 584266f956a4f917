import { useEffect, useState } from "react";
import { getPreset, PRESETS } from "../model/presets.ts";
import type { Preset } from "../model/presetTypes.ts";
import { DesignCard, PRINCIPLES } from "./DesignCard.tsx";
import { FieldView } from "./FieldView.tsx";
import { PresetList } from "./PresetList.tsx";

const DEFAULT_ID = "bare";

interface Initial {
  preset: Preset;
  /** The id the address asked for when it names no preset. */
  unknownId: string | null;
}

/** The preset the address names (`?preset=ID`), or bare Zn. */
function initialFromUrl(): Initial {
  const asked = new URLSearchParams(window.location.search).get("preset");
  const bare = getPreset(DEFAULT_ID)!;
  if (asked === null || asked === "") return { preset: bare, unknownId: null };
  const found = getPreset(asked);
  return found ? { preset: found, unknownId: null } : { preset: bare, unknownId: asked };
}

/** Keeps `?preset=ID` in the address so a view can be shared or reloaded. */
function writeUrl(id: string) {
  const url = new URL(window.location.href);
  if (url.searchParams.get("preset") === id) return;
  url.searchParams.set("preset", id);
  window.history.replaceState(null, "", url);
}

export function App() {
  const [initial] = useState(initialFromUrl);
  const [preset, setPreset] = useState<Preset>(initial.preset);
  const [unknownId, setUnknownId] = useState(initial.unknownId);

  useEffect(() => {
    document.title = `${preset.name} · Zinc Interface Lab`;
    // An unknown id stays in the address until the user picks a preset, so the message matches it.
    if (unknownId === null) writeUrl(preset.id);
  }, [preset, unknownId]);

  const choose = (p: Preset) => {
    setUnknownId(null);
    setPreset(p);
  };

  return (
    <div className="app">
      <header className="app-header">
        <div className="brand">
          <img src="/favicon.svg" alt="" width={40} height={40} />
          <h1>Zinc Interface Lab</h1>
        </div>
        <p className="purpose">
          See how an artificial interface layer on a zinc-metal anode shapes zinc plating, dendrites and hydrogen
          evolution, following the review's three design principles.
        </p>
        <ol className="principles" aria-label="The review's three design principles">
          {PRINCIPLES.map((p) => (
            <li key={p.id} className={`principle principle-${p.id}`}>
              <span className="numeral" aria-hidden="true">{p.id}</span>
              <span className="visually-hidden">Principle {p.id}: </span>
              {p.title}
            </li>
          ))}
        </ol>
      </header>
      <main className="layout">
        <section className="presets-pane" aria-labelledby="presets-heading">
          <h2 id="presets-heading">Coatings ({PRESETS.length})</h2>
          <p className="hint" id="presets-hint">Click a coating, or use the arrow keys in the list.</p>
          <PresetList presets={PRESETS} selectedId={preset.id} onSelect={choose} describedBy="presets-hint" />
        </section>
        <div className="card-pane" tabIndex={0} role="region" aria-label="Design card">
          {unknownId !== null && (
            <p className="notice" role="status" data-testid="unknown-preset">
              Unknown preset "{unknownId}" in the address: showing bare ({getPreset(DEFAULT_ID)!.name}) instead.
            </p>
          )}
          <FieldView presetId={preset.id} />
          <DesignCard preset={preset} />
          <footer className="app-footer">
            <p>
              Numbers marked as cited come from Guo, Fan, Wu, Li, Zhang (2022), "Guiding Principles for the Design of
              Artificial Interface Layer for Zinc Metal Anode". Every other number is an estimate, with its reasoning.
            </p>
          </footer>
        </div>
      </main>
    </div>
  );
}

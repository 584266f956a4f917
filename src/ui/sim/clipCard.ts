/**
 * A clip's words, drawn at the video's own resolution: the caption's font (the page's own), and the optional title
 * card a clip can open with (coating, current, electrolyte, the review's principle shown). Words only: no physics,
 * no React.
 */
import { getPreset } from "../../model/presets.ts";
import type { Scenario } from "../../model/scenario.ts";
import { PRINCIPLES } from "../components/DesignCard.tsx";
import { fmt, formulaText, labelText } from "../text.ts";

/** How long the title card shows at the start of a clip, in seconds of video. */
export const TITLE_CARD_SECONDS = 1.5;

/** The title card: a heading (the coatings) and lines under it (operation, electrolyte, principles). */
export interface TitleCard { heading: string; lines: string[] }

/** Video frames of the title card at `fps` (none where the clip has no card). */
export const titleFrames = (fps: number, withCard: boolean) => (withCard ? Math.max(1, Math.round(TITLE_CARD_SECONDS * fps)) : 0);

/** The page's font family, as its style sheet sets it (the caption and the card are drawn in it). */
export function appFont(): string {
  const f = typeof document !== "undefined" ? getComputedStyle(document.documentElement).fontFamily : "";
  return f || "system-ui, sans-serif";
}

/**
 * The card of a run of `s` (the field view: one coating; the comparison: `presets` side by side): the coatings'
 * names, the current and the protocol, the electrolyte, and the principles the coatings serve (the reference where
 * none does).
 */
export function titleCardOf(s: Scenario, presets: readonly string[] = [s.coating.preset]): TitleCard {
  const found = presets.map((id) => getPreset(id));
  const heading = found.map((p, k) => formulaText(p?.name ?? presets[k]!)).join(" vs ");
  const run = s.protocol?.length
    ? `${s.cycles ?? 1} cycle${(s.cycles ?? 1) === 1 ? "" : "s"} of plating and stripping, up to ${fmt(s.current_mA_cm2)} mA/cm²`
    : `Plating at ${fmt(s.current_mA_cm2)} mA/cm² for ${fmt(s.duration_s)} s`;
  const electrolyte = labelText(`${fmt(s.electrolyte.c0_M)} M ZnSO4, ${fmt(s.electrolyte.sigma_mS_cm)} mS/cm`);
  const ids = new Set(found.flatMap((p) => p?.principles ?? []));
  const principles = PRINCIPLES.filter((p) => ids.has(p.id)).map((p) => `Principle ${p.id}: ${p.title}`);
  return { heading, lines: [run, electrolyte, ...(principles.length ? principles : ["The reference: zinc with no interface layer"])] };
}

/** Where the card's words go in a W x H frame: the heading's type size and its top, the lines' size and spacing. */
export function titleCardLayout(W: number, H: number, lines: number): { hs: number; headTop: number; ls: number; gap: number } {
  const hs = Math.max(12, Math.round(Math.min(H / 9, W / 10)));
  const ls = Math.max(9, Math.round(hs * 0.42));
  const gap = Math.round(ls * 1.5);
  const block = hs * 1.4 + lines * gap;
  return { hs, headTop: Math.round((H - block) / 2), ls, gap };
}

/** Draws the card on the whole of `g`'s canvas: dark ground, the heading bold and large, its lines under it. */
export function drawTitleCard(g: CanvasRenderingContext2D, card: TitleCard, font = appFont()): void {
  const W = g.canvas.width, H = g.canvas.height;
  const { hs, headTop, ls, gap } = titleCardLayout(W, H, card.lines.length);
  g.fillStyle = "rgb(10, 16, 24)";
  g.fillRect(0, 0, W, H);
  g.textAlign = "center";
  g.textBaseline = "top";
  g.fillStyle = "#ffffff";
  g.font = `bold ${hs}px ${font}`;
  g.fillText(card.heading, W / 2, headTop, W * 0.92);
  g.font = `${ls}px ${font}`;
  g.fillStyle = "rgb(214, 222, 232)";
  card.lines.forEach((l, k) => g.fillText(l, W / 2, headTop + hs * 1.4 + k * gap, W * 0.92));
  g.textAlign = "start";
}

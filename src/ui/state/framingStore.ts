/**
 * How the fields are framed (zustand, no React): the front (the deposit and FRONT_MARGIN_UM of electrolyte above
 * it; sim/framing.ts) by default, or the whole cell; and the window each run shows now, the page's and the
 * comparison's (one for all its panes, so that they stay comparable), for the scale bars and the hover read-out.
 */
import { create } from "zustand";
import { sameWindow, type FieldWindow } from "../sim/framing.ts";

export type FramedRun = "page" | "compare";

export interface FramingState {
  /** True: every field shows its whole cell. */
  whole: boolean;
  windows: Record<FramedRun, FieldWindow | null>;
}

export const useFraming = create<FramingState>(() => ({ whole: false, windows: { page: null, compare: null } }));

export const framingActions = {
  setWhole(whole: boolean): void {
    useFraming.setState({ whole });
  },
  /** The window `run` shows now (null: the whole cell); the store hears only a change. */
  setWindow(run: FramedRun, v: FieldWindow | null): void {
    const st = useFraming.getState();
    if (!sameWindow(st.windows[run], v)) useFraming.setState({ windows: { ...st.windows, [run]: v } });
  },
};

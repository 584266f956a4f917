/**
 * Presenter mode's state (zustand) and its actions, without React: whether it is on, the class it puts on the root
 * element (html.presenter: larger type, more contrast, a bigger field; the design card and the sweep panel hidden),
 * full screen where the browser allows it, and whether the keyboard-shortcut sheet is open.
 */
import { create } from "zustand";

export const PRESENTER_CLASS = "presenter";

export const usePresenter = create<{ on: boolean; sheet: boolean }>(() => ({ on: false, sheet: false }));

/** Turns presenter mode on or off (toggles without an argument). Full screen is asked for, and failures ignored. */
function setPresenter(on = !usePresenter.getState().on): void {
  usePresenter.setState({ on });
  const root = document.documentElement;
  root.classList.toggle(PRESENTER_CLASS, on);
  try {
    if (on && !document.fullscreenElement && root.requestFullscreen) void root.requestFullscreen().catch(() => {});
    else if (!on && document.fullscreenElement && document.exitFullscreen) void document.exitFullscreen().catch(() => {});
  } catch {
    // Full screen is a nicety: not allowed here (an iframe, no user gesture) is fine.
  }
}

export const presenterActions = {
  setPresenter,
  openSheet(): void { usePresenter.setState({ sheet: true }); },
  closeSheet(): void { usePresenter.setState({ sheet: false }); },
};

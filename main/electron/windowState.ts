import { z } from 'zod';
import { readJsonFile, writeFileAtomicSync } from '../storage/atomicJson';

/** Window bounds and maximised flag, kept across runs in `<userData>/window-state.json`. */
export const WindowStateSchema = z.object({
  x: z.number().int().optional(),
  y: z.number().int().optional(),
  width: z.number().int().min(200).max(100_000),
  height: z.number().int().min(200).max(100_000),
  maximized: z.boolean(),
});
export type WindowState = z.infer<typeof WindowStateSchema>;
export type Rect = { x: number; y: number; width: number; height: number };

export const DEFAULT_WINDOW_STATE: WindowState = { width: 1600, height: 1000, maximized: false };
/** The smallest window in which the study browser, a viewport and the side panel still fit. */
export const MIN_WINDOW = { width: 1024, height: 700 } as const;
/** How much of the title bar must be on a display for the saved position to be kept. */
const VISIBLE_PX = 100;

/**
 * Pure: the state to open with. A saved position that is no longer on any display (a monitor
 * unplugged) is dropped so the window opens centred instead of off-screen; a size larger than
 * the work area it lands on is shrunk to fit.
 */
export function restoreWindowState(saved: WindowState | null, workAreas: readonly Rect[]): WindowState {
  const s = saved ?? DEFAULT_WINDOW_STATE;
  let width = Math.max(MIN_WINDOW.width, s.width);
  let height = Math.max(MIN_WINDOW.height, s.height);
  const onScreen =
    s.x !== undefined &&
    s.y !== undefined &&
    workAreas.find((a) => s.x! + VISIBLE_PX <= a.x + a.width && s.x! + width - VISIBLE_PX >= a.x && s.y! >= a.y && s.y! + 30 <= a.y + a.height);
  const area = onScreen || workAreas[0];
  if (area) {
    width = Math.min(width, area.width);
    height = Math.min(height, area.height);
  }
  return onScreen ? { x: s.x, y: s.y, width, height, maximized: s.maximized } : { width, height, maximized: s.maximized };
}

export async function loadWindowState(file: string, onProblem: (m: string) => void): Promise<WindowState | null> {
  const r = await readJsonFile(file, WindowStateSchema);
  if (r.ok) return r.value;
  onProblem(`${r.error.code}: ${r.error.message}`);
  return null;
}

/** Synchronous: called from the window's 'close', just before the app may exit. */
export function saveWindowState(file: string, state: WindowState): void {
  const clean = { ...state, x: state.x === undefined ? undefined : Math.round(state.x), y: state.y === undefined ? undefined : Math.round(state.y) };
  writeFileAtomicSync(file, `${JSON.stringify(clean)}\n`);
}

/** What to save from a window: its normal (not maximised) bounds and whether it is maximised. */
export function captureWindowState(normalBounds: Rect, maximized: boolean): WindowState {
  return {
    x: Math.round(normalBounds.x),
    y: Math.round(normalBounds.y),
    width: Math.round(normalBounds.width),
    height: Math.round(normalBounds.height),
    maximized,
  };
}

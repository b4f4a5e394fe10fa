import { createContext, useContext } from 'react';
import type { HostApi } from '../../shared/ipc/hostApi';
import type { ScanResult, Series, Study } from '../../shared/schemas/scan';
import type { AppError } from '../../shared/errors';

/**
 * What the shell knows and every panel may read: the host, the last scan, the selected series
 * (and its study). Panels use `useShell()` instead of threading props through the App.
 */
export interface ShellState {
  host: HostApi;
  scan: ScanResult | null;
  study: Study | null;
  series: Series | null;
  selectSeries(seriesInstanceUid: string | null): void;
  /** Show an error in the shell's banner (for errors that have no better place). */
  reportError(error: AppError): void;
}

export const ShellContext = createContext<ShellState | null>(null);

export function useShell(): ShellState {
  const s = useContext(ShellContext);
  if (!s) throw new Error('useShell() outside <ShellContext.Provider>');
  return s;
}

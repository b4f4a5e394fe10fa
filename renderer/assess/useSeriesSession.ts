import { useEffect } from 'react';
import { openSessionFor } from '../state/session';
import { useShell } from '../ui/shellContext';

/**
 * Bind the session store to the selected series (idempotent: the store ignores a repeat for the
 * same series and host), so the assessment and report work even before the measurements tab
 * has been opened.
 */
export function useSeriesSession(): void {
  const { host, series } = useShell();
  const uid = series?.seriesInstanceUid ?? null;
  useEffect(() => {
    void openSessionFor(host, uid);
  }, [host, uid]);
}

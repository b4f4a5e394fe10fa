import { useEffect } from 'react';
import { useShell } from '../ui/shellContext';
import { getRtState, loadRtForSeries, setRoiVisible } from './rtStore';

/** Loads the series' structure sets whenever the selected series changes (mounted by the overlay too). */
export function useRtLoader(): void {
  const { host, study, series, scan } = useShell();
  useEffect(() => {
    void loadRtForSeries(host, study, series, scan);
  }, [host, study, series, scan]);
  useEffect(() => {
    if (new URLSearchParams(window.location.search).get('test') !== '1') return;
    const w = window as unknown as { frwRt?: unknown };
    w.frwRt = {
      state: () => getRtState(),
      setVisible: (file: string, roi: number, on: boolean) => {
        const e = getRtState().entries.find((x) => x.file === file);
        if (e) setRoiVisible(e.sopInstanceUid, roi, on);
      },
    };
  }, []);
}

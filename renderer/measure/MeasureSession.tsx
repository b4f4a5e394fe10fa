/**
 * Always mounted (App.tsx): binds the session store to the selected series (restore / autosave),
 * wires the measurement tools to Cornerstone, keeps the viewer's bone axis in the session (and
 * defines it again when the series is reopened), registers undo / redo shortcuts and shows
 * problems with stored sessions in a banner. Renders nothing else.
 */
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorBanner } from '../ui/ErrorBanner';
import { useShell } from '../ui/shellContext';
import { useShortcut } from '../ui/shortcuts';
import { viewerShortcutsAllowed } from '../viewer/shortcutScope';
import { deleteMeasurement, dismissSessionErrors, getSessionState, openSessionFor, redo, undo, useSession } from '../state/session';
import { startBoneAxisSync } from '../state/boneAxisSync';
import { installSessionTestHooks } from '../state/testHooks';
import { defineBoneAxis, getBoneAxis, getLoadedSeriesUid, onViewerEvent } from '../viewer';
import { installMeasureLayer, setMeasuringBlocked } from './layer';
import './measure.css';

export function MeasureSession() {
  const { t } = useTranslation('measure');
  const shell = useShell();
  const session = useSession();
  const uid = shell.series?.seriesInstanceUid ?? null;

  useEffect(() => installMeasureLayer(), []);
  useEffect(() => startBoneAxisSync({ onViewerEvent, getBoneAxis, getLoadedSeriesUid, defineBoneAxis }), []);
  useEffect(() => installSessionTestHooks(), []);
  useEffect(() => {
    void openSessionFor(shell.host, uid);
  }, [shell.host, uid]);
  // A tool armed on the previous series must not stay armed on one that may not be measured.
  const notMeasurable = !!shell.series && !shell.series.measurable;
  useEffect(() => setMeasuringBlocked(notMeasurable), [notMeasurable]);

  // Like the viewer's keys, these act on what is behind the help overlay: inert while it is open.
  const when = viewerShortcutsAllowed;
  useShortcut({ keys: 'ctrl+z', descriptionKey: 'measure:shortcut.undo', group: 'measure', handler: undo, when });
  useShortcut({ keys: ['ctrl+shift+z', 'ctrl+y'], descriptionKey: 'measure:shortcut.redo', group: 'measure', handler: redo, when });
  useShortcut({
    keys: 'Delete',
    descriptionKey: 'measure:shortcut.delete',
    group: 'measure',
    when,
    handler: () => {
      const id = getSessionState().selectedMeasurementId;
      if (id) deleteMeasurement(id);
    },
  });

  // Fixed position: out of the shell's grid, visible whichever tab is open.
  return (
    <div className="session-banner">
      <ErrorBanner testId="session-errors" title={t('sessionProblem')} errors={session.errors} onDismiss={dismissSessionErrors} />
    </div>
  );
}

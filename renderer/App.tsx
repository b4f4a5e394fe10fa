/**
 * The workstation shell: header (open folder / files / demo, language, help), study browser on
 * the left, the viewer in the centre, the tabbed side panel on the right (renderer/ui/SidePanel.tsx).
 *
 * - After a scan the first measurable CT series is selected.
 * - Scanning shows a progress bar with Cancel; a cancelled scan keeps the previous study.
 * - `?demo=1` in the URL, or the host's `open-demo` command (Electron menu), opens the demo CT.
 * - Keyboard shortcuts live in renderer/ui/shortcuts.ts; `?` or F1 shows them.
 *
 * Test ids: app, open-folder, open-files, open-demo, open-folder-input, open-files-input, help-button,
 * scan-progress (+ -cancel), app-errors (+ -item), notice, drop-zone, viewer-area (the viewer shows its own empty state).
 * With `?test=1` the page exposes `window.__frwTest = { host, scan(), series(), lastScanMs() }` for tests.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ScanProgress, ScanResult } from '../shared/schemas/scan';
import type { AppError } from '../shared/errors';
import type { HostCommand } from '../shared/ipc/hostApi';
import { createHost, isBrowserHost } from './host';
import { isCancelled, pickedFromList, toAppError, type PickedFile } from './host/browserHost';
import { StudyBrowser } from './study/StudyBrowser';
import { findSeries, firstMeasurableCt } from './study/select';
import { Viewer } from './viewer/Viewer';
import { SidePanel } from './ui/SidePanel';
import { MeasureSession } from './measure/MeasureSession';
import { AnalysisOverlays } from './analysis/AnalysisPanel';
import { ProgressBar } from './ui/ProgressBar';
import { ErrorBanner } from './ui/ErrorBanner';
import { HelpOverlay } from './ui/HelpOverlay';
import { LanguageSwitch } from './ui/LanguageSwitch';
import { installShortcutListener, useShortcut } from './ui/shortcuts';
import { ShellContext, type ShellState } from './ui/shellContext';
import { PacsDialog } from './pacs/PacsDialog';
import { pacsErrorText } from './pacs/errorText';
import type { RetrieveProgress } from '../shared/pacs/schemas';

type OpenRequest =
  | { kind: 'study'; pick?: 'folder' | 'files' }
  | { kind: 'demo' }
  | { kind: 'files'; files: PickedFile[] }
  /** A CT series of the PACS (issue 16): retrieved with its study's RT / SR objects, then scanned like a folder. */
  | { kind: 'pacs'; studyInstanceUid: string; seriesInstanceUid: string };

interface Busy {
  progress: ScanProgress | null;
  /** Set while a PACS retrieval runs (before its scan). */
  retrieve?: RetrieveProgress | null;
  controller: AbortController;
}

export function App() {
  const { t } = useTranslation('shell');
  const host = useMemo(() => createHost(), []);
  const browser = isBrowserHost(host) ? host : null;
  const [scan, setScan] = useState<ScanResult | null>(null);
  const [selectedUid, setSelectedUid] = useState<string | null>(null);
  const [busy, setBusy] = useState<Busy | null>(null);
  const [errors, setErrors] = useState<AppError[]>([]);
  // What the banner's errors are about: opening a study, or anything a panel reported.
  const [errorsTitle, setErrorsTitle] = useState<'openFailed' | 'somethingFailed'>('openFailed');
  const [notice, setNotice] = useState<string | null>(null);
  const [helpOpen, setHelpOpen] = useState(false);
  const [pacsOpen, setPacsOpen] = useState(false);
  const [dragging, setDragging] = useState(false);
  // Finished open attempts (success, error or cancel): lets tests wait for the outcome.
  const [scansFinished, setScansFinished] = useState(0);
  const folderInput = useRef<HTMLInputElement>(null);
  const filesInput = useRef<HTMLInputElement>(null);
  const busyRef = useRef<Busy | null>(null);
  /** Duration of the last successful open (picking done → scan result), for tests and benchmarks. */
  const lastScanMs = useRef<number | null>(null);
  busyRef.current = busy;

  const open = useCallback(
    async (req: OpenRequest) => {
      busyRef.current?.controller.abort();
      const controller = new AbortController();
      const mine: Busy = { progress: null, retrieve: req.kind === 'pacs' ? null : undefined, controller };
      busyRef.current = mine;
      setBusy(mine);
      setNotice(null);
      const startedMs = performance.now();
      const onProgress = (p: ScanProgress) => setBusy((b) => (b && b.controller === controller ? { ...b, progress: p } : b));
      try {
        let result: ScanResult | null;
        if (req.kind === 'demo') result = await host.openDemo(onProgress, controller.signal);
        else if (req.kind === 'study') result = await host.openStudy(onProgress, controller.signal, req.pick);
        else if (req.kind === 'pacs') {
          const onRetrieve = (p: RetrieveProgress) => setBusy((b) => (b && b.controller === controller ? { ...b, retrieve: p } : b));
          result = await host.pacs.retrieveSeries(req.studyInstanceUid, req.seriesInstanceUid, onRetrieve, controller.signal);
        }
        else if (browser) result = await browser.scanFiles(req.files, onProgress, controller.signal);
        else result = null;
        if (result) {
          lastScanMs.current = performance.now() - startedMs;
          setErrors([]);
          setScan(result);
          setSelectedUid(firstMeasurableCt(result)?.seriesInstanceUid ?? null);
        }
      } catch (e) {
        // A scan replaced by a newer one is not news; a scan the user cancelled is.
        const superseded = busyRef.current !== null && busyRef.current.controller !== controller;
        if (isCancelled(e)) {
          if (!superseded) setNotice(req.kind === 'pacs' ? t('pacs:retrieveCancelled') : t('scanCancelled'));
        } else {
          setErrorsTitle('openFailed');
          const error = toAppError(e, 'OPEN_FAILED');
          // A PACS failure in the reader's language where pacs.json words it (the server's text otherwise).
          setErrors([req.kind === 'pacs' ? { ...error, message: pacsErrorText(t, error, (await host.pacs.getSettings().catch(() => null))?.settings?.name) } : error]);
        }
      } finally {
        setBusy((b) => (b && b.controller === controller ? null : b));
        setScansFinished((n) => n + 1);
      }
    },
    [host, browser, t],
  );

  const openFolder = useCallback(() => {
    if (browser) folderInput.current?.click();
    else void open({ kind: 'study' });
  }, [browser, open]);
  const openFiles = useCallback(() => {
    if (browser) filesInput.current?.click();
    else void open({ kind: 'study', pick: 'files' });
  }, [browser, open]);
  const openDemo = useCallback(() => void open({ kind: 'demo' }), [open]);
  const openRef = useRef(open);
  openRef.current = open;

  // The demo on request (?demo=1) and commands from the host (Electron menu).
  const demoOnStartDone = useRef(false);
  useEffect(() => {
    // Once, even when React mounts effects twice (StrictMode in development).
    if (!demoOnStartDone.current && new URLSearchParams(window.location.search).get('demo') === '1') {
      demoOnStartDone.current = true;
      void openRef.current({ kind: 'demo' });
    }
    return host.onCommand((c: HostCommand) => {
      if (c.type === 'open-demo') void openRef.current({ kind: 'demo' });
      else if (c.type === 'open-study') void openRef.current({ kind: 'study' });
    });
  }, [host]);

  useEffect(() => installShortcutListener(window), []);
  useShortcut({ keys: ['?', 'F1'], descriptionKey: 'shell:shortcut.help', group: 'general', handler: () => setHelpOpen((o) => !o) });
  useShortcut({ keys: 'Escape', descriptionKey: 'shell:shortcut.closeOverlay', group: 'general', handler: () => setHelpOpen(false) }, helpOpen);
  useShortcut({ keys: 'ctrl+o', descriptionKey: 'shell:shortcut.openFolder', group: 'general', handler: openFolder });
  const stepSeries = (delta: number) => {
    const all = scan?.studies.flatMap((st) => st.series) ?? [];
    if (all.length === 0) return;
    const at = all.findIndex((x) => x.seriesInstanceUid === selectedUid);
    const next = all[Math.max(0, Math.min(all.length - 1, at < 0 ? 0 : at + delta))];
    setSelectedUid(next.seriesInstanceUid);
  };
  useShortcut({ keys: 'alt+ArrowDown', descriptionKey: 'shell:shortcut.nextSeries', group: 'general', handler: () => stepSeries(1) });
  useShortcut({ keys: 'alt+ArrowUp', descriptionKey: 'shell:shortcut.previousSeries', group: 'general', handler: () => stepSeries(-1) });

  // Drag-and-drop of folders or files anywhere on the window (browser host).
  useEffect(() => {
    if (!browser) return;
    let depth = 0;
    const hasFiles = (e: DragEvent) => !!e.dataTransfer && Array.from(e.dataTransfer.types).includes('Files');
    const onEnter = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      depth++;
      setDragging(true);
    };
    const onLeave = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      depth = Math.max(0, depth - 1);
      if (depth === 0) setDragging(false);
    };
    const onOver = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
    };
    const onDrop = (e: DragEvent) => {
      if (!hasFiles(e) || !e.dataTransfer) return;
      e.preventDefault();
      depth = 0;
      setDragging(false);
      const dt = e.dataTransfer;
      browser
        .filesFromDrop(dt)
        .then((files) => (files.length > 0 ? open({ kind: 'files', files }) : undefined))
        .catch((err) => {
          setErrorsTitle('openFailed');
          setErrors([toAppError(err, 'DROP_FAILED')]);
        });
    };
    window.addEventListener('dragenter', onEnter);
    window.addEventListener('dragleave', onLeave);
    window.addEventListener('dragover', onOver);
    window.addEventListener('drop', onDrop);
    return () => {
      window.removeEventListener('dragenter', onEnter);
      window.removeEventListener('dragleave', onLeave);
      window.removeEventListener('dragover', onOver);
      window.removeEventListener('drop', onDrop);
    };
  }, [browser, open]);

  const onInputChange = (input: HTMLInputElement | null) => {
    if (!input?.files || input.files.length === 0) return;
    const files = pickedFromList(input.files);
    input.value = ''; // picking the same folder again must fire change again
    void open({ kind: 'files', files });
  };

  const selected = findSeries(scan, selectedUid);
  const shell: ShellState = useMemo(
    () => ({
      host,
      scan,
      study: selected?.study ?? null,
      series: selected?.series ?? null,
      selectSeries: setSelectedUid,
      reportError: (e: AppError) => {
        setErrorsTitle('somethingFailed');
        setErrors((list) => [...list, e]);
      },
    }),
    [host, scan, selected?.study, selected?.series],
  );

  const shellRef = useRef(shell);
  shellRef.current = shell;
  useEffect(() => {
    if (new URLSearchParams(window.location.search).get('test') !== '1') return;
    (window as unknown as { __frwTest?: unknown }).__frwTest = {
      host,
      scan: () => shellRef.current.scan,
      series: () => shellRef.current.series,
      lastScanMs: () => lastScanMs.current,
    };
  }, [host]);

  const p = busy?.progress;
  return (
    <ShellContext.Provider value={shell}>
      <div className="app" data-testid="app" data-host={host.kind} data-scans={scansFinished}>
        <header className="app-header">
          <h1 className="app-title">{t('common:appName')}</h1>
          <div className="header-actions">
            <button className="btn" data-testid="open-folder" onClick={openFolder}>
              {t('openFolder')}
            </button>
            <button className="btn" data-testid="open-files" onClick={openFiles}>
              {t('openFiles')}
            </button>
            <button className="btn" data-testid="open-demo" onClick={openDemo}>
              {t('openDemo')}
            </button>
            <button className="btn" data-testid="open-pacs" onClick={() => setPacsOpen(true)}>
              {t('pacs:open_button')}
            </button>
            {browser && (
              <>
                <input
                  ref={(el) => {
                    folderInput.current = el;
                    if (el) el.webkitdirectory = true;
                  }}
                  type="file"
                  multiple
                  hidden
                  data-testid="open-folder-input"
                  onChange={(e) => onInputChange(e.currentTarget)}
                />
                <input ref={filesInput} type="file" multiple hidden data-testid="open-files-input" onChange={(e) => onInputChange(e.currentTarget)} />
              </>
            )}
          </div>
          <div className="header-right">
            <span className="muted small decision-note">{t('decisionSupport')}</span>
            <LanguageSwitch />
            <button className="btn round" data-testid="help-button" title={t('helpButton')} aria-label={t('helpButton')} onClick={() => setHelpOpen((o) => !o)}>
              ?
            </button>
          </div>
        </header>
        {busy && busy.retrieve !== undefined && !p && (
          <ProgressBar
            testId="scan-progress"
            label={t('pacs:retrieving')}
            fraction={busy.retrieve && busy.retrieve.total > 0 ? busy.retrieve.done / busy.retrieve.total : null}
            detail={busy.retrieve ? t('pacs:retrieveDetail', { done: busy.retrieve.done, total: busy.retrieve.total, mb: (busy.retrieve.bytes / 1048576).toFixed(1) }) : undefined}
            onCancel={() => busy.controller.abort()}
          />
        )}
        {busy && (busy.retrieve === undefined || p) && (
          <ProgressBar
            testId="scan-progress"
            label={p ? t(`phase.${p.phase}`) : t('scanning')}
            fraction={p && p.filesFound > 0 ? p.filesParsed / p.filesFound : null}
            detail={p && p.filesFound > 0 ? t('progressDetail', { parsed: p.filesParsed, found: p.filesFound }) : undefined}
            onCancel={() => busy.controller.abort()}
          />
        )}
        <ErrorBanner testId="app-errors" title={t(errorsTitle)} errors={errors} onDismiss={() => setErrors([])} />
        {notice && (
          <div className="notice" data-testid="notice" role="status">
            {notice}
            <button className="btn small" onClick={() => setNotice(null)} aria-label={t('common:dismiss')}>
              ×
            </button>
          </div>
        )}
        <div className="app-body">
          <StudyBrowser scan={scan} selectedUid={selectedUid} onSelect={setSelectedUid} />
          <main className="viewer-area" data-testid="viewer-area">
            <Viewer host={host} series={selected?.series ?? null} />
          </main>
          <SidePanel />
          <MeasureSession />
          <AnalysisOverlays />
        </div>
        {dragging && (
          <div className="drop-zone" data-testid="drop-zone">
            {t('dropHere')}
          </div>
        )}
        {helpOpen && <HelpOverlay onClose={() => setHelpOpen(false)} />}
        {pacsOpen && (
          <PacsDialog
            pacs={host.pacs}
            onClose={() => setPacsOpen(false)}
            onOpenSeries={(study, series) => {
              setPacsOpen(false);
              void open({ kind: 'pacs', studyInstanceUid: study.studyInstanceUid, seriesInstanceUid: series.seriesInstanceUid });
            }}
          />
        )}
      </div>
    </ShellContext.Provider>
  );
}

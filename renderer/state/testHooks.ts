import { fitKeyImage } from './keyImageFit';
import { getSessionState } from './session';

/**
 * Probes for end-to-end tests on `window.frwSession`, only with `?test=1` in the page URL (like
 * the viewer's frwViewer): the current session, and the key image fitting applied to captures.
 */
export interface SessionTestHooks {
  session(): ReturnType<typeof getSessionState>['session'];
  fitKeyImage(pngDataUrl: string, maxChars?: number): ReturnType<typeof fitKeyImage>;
}

export function installSessionTestHooks(): () => void {
  if (typeof window === 'undefined' || new URLSearchParams(window.location.search).get('test') !== '1') return () => {};
  const hooks: SessionTestHooks = { session: () => getSessionState().session, fitKeyImage };
  const w = window as unknown as { frwSession?: SessionTestHooks };
  w.frwSession = hooks;
  return () => {
    if (w.frwSession === hooks) delete w.frwSession;
  };
}

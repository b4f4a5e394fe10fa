/**
 * Viewer keyboard shortcuts act on the images behind whatever is on top: while a modal dialog
 * (the help overlay, any `aria-modal="true"` element) is open they must not fire, or a key
 * pressed to read the help would change the window, the slice or the mode unseen.
 */
export function viewerShortcutsAllowed(doc: Pick<Document, 'querySelector'> | undefined = globalThis.document): boolean {
  if (!doc) return true;
  return doc.querySelector('[aria-modal="true"]') === null;
}

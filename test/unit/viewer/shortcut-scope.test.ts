import { afterEach, describe, expect, it } from 'vitest';
import { dispatchShortcut, registerShortcut } from '../../../renderer/ui/shortcuts';
import { viewerShortcutsAllowed } from '../../../renderer/viewer/shortcutScope';

/** A document with or without an open modal dialog (the help overlay has aria-modal="true"). */
const doc = (modalOpen: boolean) => ({ querySelector: (sel: string) => (modalOpen && sel === '[aria-modal="true"]' ? ({} as Element) : null) });
const press = (k: string) => {
  let prevented = false;
  const e = { key: k, ctrlKey: false, metaKey: false, altKey: false, shiftKey: false, target: null, isComposing: false, preventDefault: () => (prevented = true) };
  const ran = dispatchShortcut(e as unknown as KeyboardEvent);
  return { ran, prevented };
};

describe('viewer shortcuts and modal dialogs', () => {
  const offs: (() => void)[] = [];
  afterEach(() => offs.splice(0).forEach((f) => f()));

  it('a viewer key does nothing while a modal dialog is open, and works again once it is closed', () => {
    let modal = true;
    const calls: string[] = [];
    // Registered the way Viewer.tsx does: the key is the viewer's, gated by the scope check.
    offs.push(registerShortcut({ keys: '2', descriptionKey: 'viewer:shortcut.softTissue', group: 'viewer', when: () => viewerShortcutsAllowed(doc(modal)), handler: () => calls.push('soft') }));
    expect(press('2')).toEqual({ ran: false, prevented: false });
    expect(calls).toEqual([]);
    modal = false;
    expect(press('2')).toEqual({ ran: true, prevented: true });
    expect(calls).toEqual(['soft']);
  });

  it('a skipped viewer key falls through to an older registration (Escape closes the overlay, not the viewer mode)', () => {
    let modal = true;
    const calls: string[] = [];
    offs.push(registerShortcut({ keys: 'Escape', descriptionKey: 'shell:shortcut.closeOverlay', group: 'general', handler: () => calls.push('close overlay') }));
    // The viewer's Escape registered later (its mode changed while the overlay was open): it would win without the gate.
    offs.push(registerShortcut({ keys: 'Escape', descriptionKey: 'viewer:shortcut.escape', group: 'viewer', when: () => viewerShortcutsAllowed(doc(modal)), handler: () => calls.push('viewer W/L') }));
    press('Escape');
    modal = false;
    press('Escape');
    expect(calls).toEqual(['close overlay', 'viewer W/L']);
  });

  it('without a document (Node), viewer shortcuts are allowed', () => {
    expect(viewerShortcutsAllowed(undefined)).toBe(true);
    expect(viewerShortcutsAllowed(doc(false))).toBe(true);
    expect(viewerShortcutsAllowed(doc(true))).toBe(false);
  });
});

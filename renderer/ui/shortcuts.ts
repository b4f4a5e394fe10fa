/**
 * Keyboard-shortcut registry: one place for every shortcut, so the help overlay (`?` or F1)
 * lists exactly what works.
 *
 * Usage (viewer, measurement tools, panels):
 *
 *   import { registerShortcut, useShortcut } from '../ui/shortcuts';
 *   // anywhere (returns an unregister function):
 *   const off = registerShortcut({
 *     keys: 'ctrl+z',                       // see "Key syntax" below; several: ['ctrl+y', 'ctrl+shift+z']
 *     descriptionKey: 'measure:shortcut.undo', // i18next key, "namespace:key"
 *     group: 'measure',                     // heading in the help overlay (i18n key shell:group.<group>, falls back to the name)
 *     handler: (event) => undo(),
 *   });
 *   // in a React component, registered while mounted (handler may change between renders):
 *   useShortcut({ keys: '1', descriptionKey: 'viewer:shortcut.bone', group: 'viewer', handler: () => preset('bone') });
 *
 * Key syntax: modifiers `ctrl` (Ctrl, or ⌘ on macOS), `alt`, `shift`, joined with `+`, then the key:
 * a letter or digit (`z`, `1`), a printed symbol (`?`, `+`; for symbols the shift needed to type
 * them is implied, don't write it), or a KeyboardEvent.key name (`F1`, `Escape`, `ArrowUp`,
 * `PageDown`, `Home`, `Delete`). Case-insensitive. Shortcuts don't fire while the user types
 * in a text field (except Escape and F-keys). When two registrations share keys, the latest wins
 * (a modal or a tool in use can override a global shortcut and give it back on unregister).
 *
 * The App installs the single keydown listener (`installShortcutListener`).
 */
import { useEffect, useRef, useSyncExternalStore } from 'react';

export interface Shortcut {
  /** One combination or several equivalent ones. */
  keys: string | string[];
  /** i18next key of the description shown in the help overlay ("namespace:key"). */
  descriptionKey: string;
  /** Help-overlay heading; e.g. 'general', 'viewer', 'measure'. */
  group?: string;
  handler: (event: KeyboardEvent) => void;
  /** Let the browser's default action happen too (default: prevented). */
  allowDefault?: boolean;
  /** Checked at key time; when false this shortcut is skipped (the key goes to an older one or
   * to the browser), e.g. viewer keys while a modal dialog is open. */
  when?: () => boolean;
}

interface Entry extends Shortcut {
  id: number;
  combos: string[];
}

let nextId = 1;
let entries: Entry[] = [];
const listeners = new Set<() => void>();

function emit() {
  for (const l of listeners) l();
}

const NAMED: Record<string, string> = {
  esc: 'escape',
  space: ' ',
  up: 'arrowup',
  down: 'arrowdown',
  left: 'arrowleft',
  right: 'arrowright',
  pgup: 'pageup',
  pgdn: 'pagedown',
  del: 'delete',
};

/** Canonical form "ctrl+alt+shift+key" of a written combination. */
export function normalizeCombo(combo: string): string {
  const parts = combo.split('+');
  // "ctrl++" means ctrl and the + key.
  let key = parts.pop() ?? '';
  if (key === '' && combo.endsWith('+')) {
    key = '+';
    parts.pop();
  }
  const mods = new Set(parts.map((p) => p.trim().toLowerCase()).map((p) => (p === 'meta' || p === 'cmd' ? 'ctrl' : p)));
  key = key.trim();
  let k = key.length === 1 ? key.toLowerCase() : key.toLowerCase();
  k = NAMED[k] ?? k;
  if (k.length === 1 && !/[a-z]/.test(k)) mods.delete('shift');
  return [mods.has('ctrl') ? 'ctrl' : '', mods.has('alt') ? 'alt' : '', mods.has('shift') ? 'shift' : '', k]
    .filter(Boolean)
    .join('+');
}

/** Canonical form of a key event, comparable with normalizeCombo(). */
export function comboOfEvent(e: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'altKey' | 'shiftKey'>): string {
  const k = e.key.length === 1 ? e.key.toLowerCase() : e.key.toLowerCase();
  // Symbols already carry the shift needed to type them (e.g. "?" on any layout).
  const shift = e.shiftKey && !(k.length === 1 && !/[a-z]/.test(k));
  return [e.ctrlKey || e.metaKey ? 'ctrl' : '', e.altKey ? 'alt' : '', shift ? 'shift' : '', k].filter(Boolean).join('+');
}

export function registerShortcut(shortcut: Shortcut): () => void {
  const keys = Array.isArray(shortcut.keys) ? shortcut.keys : [shortcut.keys];
  const entry: Entry = { ...shortcut, id: nextId++, combos: keys.map(normalizeCombo) };
  entries = [...entries, entry];
  emit();
  return () => {
    entries = entries.filter((e) => e.id !== entry.id);
    emit();
  };
}

/** Every registered shortcut, in registration order (a stable array between changes). */
export function listShortcuts(): readonly Shortcut[] {
  return entries;
}

export function subscribeShortcuts(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useShortcutList(): readonly Shortcut[] {
  return useSyncExternalStore(subscribeShortcuts, listShortcuts, listShortcuts);
}

/** Register while the component is mounted; the latest handler is always called. */
export function useShortcut(shortcut: Shortcut, enabled = true): void {
  const handlerRef = useRef(shortcut.handler);
  handlerRef.current = shortcut.handler;
  const keyList = Array.isArray(shortcut.keys) ? shortcut.keys.join('|') : shortcut.keys;
  useEffect(() => {
    if (!enabled) return;
    return registerShortcut({
      ...shortcut,
      keys: keyList.split('|'),
      handler: (e) => handlerRef.current(e),
    });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [keyList, shortcut.descriptionKey, shortcut.group, enabled]);
}

function isTyping(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el || typeof el.tagName !== 'string') return false;
  const tag = el.tagName.toLowerCase();
  if (tag === 'textarea' || tag === 'select' || el.isContentEditable) return true;
  if (tag !== 'input') return false;
  const type = (el as HTMLInputElement).type;
  return !['checkbox', 'radio', 'button', 'submit', 'range', 'file', 'color'].includes(type);
}

/** Dispatch one key event to the latest matching shortcut; true when one ran. */
export function dispatchShortcut(e: KeyboardEvent): boolean {
  if (e.isComposing) return false;
  const combo = comboOfEvent(e);
  const typing = isTyping(e.target);
  if (typing && !(combo === 'escape' || /^f\d+$/.test(e.key.toLowerCase()))) return false;
  for (let i = entries.length - 1; i >= 0; i--) {
    const entry = entries[i];
    if (entry.combos.includes(combo)) {
      if (entry.when && !entry.when()) continue;
      if (!entry.allowDefault) e.preventDefault();
      entry.handler(e);
      return true;
    }
  }
  return false;
}

export function installShortcutListener(target: Window = window): () => void {
  const onKey = (e: KeyboardEvent) => {
    dispatchShortcut(e);
  };
  target.addEventListener('keydown', onKey);
  return () => target.removeEventListener('keydown', onKey);
}

/** How a combination is shown to the user, e.g. "Ctrl + Shift + Z". */
export function displayCombo(combo: string): string {
  const names: Record<string, string> = {
    ctrl: 'Ctrl',
    alt: 'Alt',
    shift: 'Shift',
    arrowup: '↑',
    arrowdown: '↓',
    arrowleft: '←',
    arrowright: '→',
    pageup: 'PgUp',
    pagedown: 'PgDn',
    escape: 'Esc',
    ' ': 'Space',
  };
  const n = normalizeCombo(combo);
  if (n === '+') return '+';
  const parts = n.endsWith('++') ? [...n.slice(0, -2).split('+').filter(Boolean), '+'] : n.split('+');
  return parts.map((p) => names[p] ?? (p.length === 1 ? p.toUpperCase() : p.charAt(0).toUpperCase() + p.slice(1))).join(' + ');
}

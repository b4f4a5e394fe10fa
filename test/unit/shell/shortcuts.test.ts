import { describe, expect, it } from 'vitest';
import { comboOfEvent, dispatchShortcut, displayCombo, normalizeCombo, registerShortcut } from '../../../renderer/ui/shortcuts';
import { displayDicomDate, displayPersonName, firstMeasurableCt, formatMm } from '../../../renderer/study/select';
import type { ScanResult, Series } from '../../../shared/schemas/scan';

const key = (k: string, mods: Partial<{ ctrlKey: boolean; metaKey: boolean; altKey: boolean; shiftKey: boolean }> = {}) => ({
  key: k,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  shiftKey: false,
  ...mods,
});

describe('shortcut combos', () => {
  it('matches written combinations with key events, whatever the case and modifier order', () => {
    expect(normalizeCombo('Shift+Ctrl+Z')).toBe(comboOfEvent(key('Z', { ctrlKey: true, shiftKey: true })));
    expect(normalizeCombo('ctrl+z')).toBe(comboOfEvent(key('z', { metaKey: true })));
    expect(normalizeCombo('ctrl+z')).not.toBe(comboOfEvent(key('Z', { ctrlKey: true, shiftKey: true })));
    expect(normalizeCombo('F1')).toBe(comboOfEvent(key('F1')));
    expect(normalizeCombo('PageDown')).toBe(comboOfEvent(key('PageDown')));
    expect(normalizeCombo('ArrowUp')).not.toBe(comboOfEvent(key('ArrowUp', { shiftKey: true })));
  });

  it('symbols carry their own shift, so "?" works on any keyboard layout', () => {
    expect(normalizeCombo('?')).toBe(comboOfEvent(key('?', { shiftKey: true })));
    expect(normalizeCombo('?')).toBe(comboOfEvent(key('?')));
    expect(normalizeCombo('ctrl++')).toBe(comboOfEvent(key('+', { ctrlKey: true, shiftKey: true })));
    expect(displayCombo('ctrl++')).toBe('Ctrl + +');
    expect(displayCombo('ctrl+shift+z')).toBe('Ctrl + Shift + Z');
    expect(displayCombo('PageDown')).toBe('PgDn');
  });

  it('the latest registration wins and gives the key back when it unregisters', () => {
    const calls: string[] = [];
    const offA = registerShortcut({ keys: 'r', descriptionKey: 'a', handler: () => calls.push('a') });
    const offB = registerShortcut({ keys: 'R', descriptionKey: 'b', handler: () => calls.push('b') });
    const ev = () => ({ ...key('r'), target: null, isComposing: false, preventDefault() {} }) as unknown as KeyboardEvent;
    expect(dispatchShortcut(ev())).toBe(true);
    offB();
    dispatchShortcut(ev());
    offA();
    expect(dispatchShortcut(ev())).toBe(false);
    expect(calls).toEqual(['b', 'a']);
  });

  it('does not fire while the user types in a text field, except Escape', () => {
    const calls: string[] = [];
    const off1 = registerShortcut({ keys: '1', descriptionKey: 'x', handler: () => calls.push('1') });
    const off2 = registerShortcut({ keys: 'Escape', descriptionKey: 'y', handler: () => calls.push('esc') });
    const input = { tagName: 'INPUT', type: 'text', isContentEditable: false };
    const ev = (k: string) => ({ ...key(k), target: input, isComposing: false, preventDefault() {} }) as unknown as KeyboardEvent;
    dispatchShortcut(ev('1'));
    dispatchShortcut(ev('Escape'));
    off1();
    off2();
    expect(calls).toEqual(['esc']);
  });
});

describe('study browser helpers', () => {
  const series = (over: Partial<Series>): Series => ({ seriesInstanceUid: over.seriesInstanceUid ?? 'x', modality: 'CT', measurable: false, ...over }) as Series;
  const scanOf = (list: Series[]): ScanResult => ({ studies: [{ series: list, otherObjects: [] }], errors: [], skipped: [] }) as unknown as ScanResult;

  it('auto-selects the first measurable CT, never an MR before it', () => {
    const mr = series({ seriesInstanceUid: 'mr', modality: 'MR', measurable: true });
    const scout = series({ seriesInstanceUid: 'scout' });
    const ct = series({ seriesInstanceUid: 'ct', measurable: true });
    expect(firstMeasurableCt(scanOf([mr, scout, ct]))?.seriesInstanceUid).toBe('ct');
    expect(firstMeasurableCt(scanOf([mr, scout]))?.seriesInstanceUid).toBe('scout');
    expect(firstMeasurableCt(scanOf([mr]))).toBeNull();
  });

  it('formats DICOM names, dates and millimetres for people', () => {
    expect(displayPersonName('DEMO^SYNTHETIC')).toBe('DEMO, SYNTHETIC');
    expect(displayPersonName('Pancreas-CT-CB_001')).toBe('Pancreas-CT-CB_001');
    expect(displayDicomDate('20120706', 'fr')).toBe('06/07/2012');
    expect(displayDicomDate('2012', 'fr')).toBe('2012');
    expect(formatMm(3, 'en')).toBe('3');
    expect(formatMm(1.25, 'fr')).toBe('1,25');
    expect(formatMm(0.9765625, 'en')).toBe('0.98');
    expect(formatMm(null, 'en')).toBeNull();
  });
});

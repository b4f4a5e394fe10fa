import { describe, expect, it } from 'vitest';
import { orientationLetter, orientationLetters, scaleBarMm } from '../../../shared/geometry/orientation';

describe('orientation letters (DICOM LPS)', () => {
  it('names the six patient directions', () => {
    expect([[1, 0, 0], [-1, 0, 0], [0, 1, 0], [0, -1, 0], [0, 0, 1], [0, 0, -1]].map((d) => orientationLetter(d as [number, number, number]))).toEqual(['L', 'R', 'P', 'A', 'S', 'I']);
  });
  it('adds a second letter only past 15° of obliquity, main axis first', () => {
    const tilt = (deg: number): [number, number, number] => [Math.sin((deg * Math.PI) / 180), 0, Math.cos((deg * Math.PI) / 180)];
    expect(orientationLetter(tilt(10))).toBe('S');
    expect(orientationLetter(tilt(30))).toBe('SL');
    expect(orientationLetter([-0.6, -0.8, 0])).toBe('AR');
  });
  it('axial view in radiological convention: R left, A top', () => {
    expect(orientationLetters([1, 0, 0], [0, 1, 0])).toEqual({ left: 'R', right: 'L', top: 'A', bottom: 'P' });
  });
  it('scale bar: a round length within a quarter of the width', () => {
    expect(scaleBarMm(0.5, 400)).toBe(50);
    expect(scaleBarMm(0.1, 400)).toBe(10);
    expect(scaleBarMm(2, 300)).toBe(100);
  });
});

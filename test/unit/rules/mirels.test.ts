import { describe, expect, it } from 'vitest';
import { mirelsSize, mirelsSizeFromAxialPercent } from '../../../shared/rules/mirels';

describe('Mirels size proposed from the measured axial % (§2)', () => {
  it('< 1/3 → 1, 1/3 to 2/3 inclusive → 2, > 2/3 → 3', () => {
    expect(mirelsSizeFromAxialPercent(0)).toBe(1);
    expect(mirelsSizeFromAxialPercent(33.33)).toBe(1);
    expect(mirelsSizeFromAxialPercent(100 / 3)).toBe(2);
    expect(mirelsSizeFromAxialPercent(50)).toBe(2);
    expect(mirelsSizeFromAxialPercent(200 / 3)).toBe(2);
    expect(mirelsSizeFromAxialPercent(66.67)).toBe(3);
    expect(mirelsSizeFromAxialPercent(100)).toBe(3);
  });
  it('an entered size wins; unknown when neither is given', () => {
    expect(mirelsSize({ mirelsSize: 3, axialPercent: 10 })).toEqual({ size: 3, sizeSource: 'entered' });
    expect(mirelsSize({ mirelsSize: null, axialPercent: 10 })).toEqual({ size: 1, sizeSource: 'measured' });
    expect(mirelsSize({ mirelsSize: null, axialPercent: null })).toBeNull();
  });
});

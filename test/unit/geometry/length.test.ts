import { describe, expect, it } from 'vitest';
import { ALONG_BONE_TOLERANCE_DEG, checkAlongBone, lengthWarningCodes, SCANNER_Z_AXIS, type Vec3 } from '../../../shared/geometry';
import { formatNumber } from '../../../renderer/measure/format';

/** A bone axis tilted `deg` from scanner z towards y (the demo CT's femur is tilted 10°). */
const axisTilted = (deg: number): Vec3 => [0, Math.sin((deg * Math.PI) / 180), Math.cos((deg * Math.PI) / 180)];
/** Sagittal plane (normal x): it contains every axis above, so only the line's angle matters. */
const SAGITTAL: Vec3 = [1, 0, 0];

describe('along-bone tolerance (clinical-rules §1: length along the true axis)', () => {
  it('a line along scanner z on a 10°-tilted bone is flagged: it under-reads by 1 − cos 10° = 1.5 %', () => {
    const c = checkAlongBone([0, 0, 0], [0, 0, 30], axisTilted(10), SAGITTAL);
    expect(c.lineAxisAngleDeg).toBeCloseTo(10, 6);
    expect(c.axialLengthMm / c.lengthMm).toBeCloseTo(Math.cos((10 * Math.PI) / 180), 9);
    expect(1 - c.axialLengthMm / c.lengthMm).toBeGreaterThan(0.015);
    expect(c.notAlongBone).toBe(true);
  });
  it('the tolerance is 5°, strict: 4.9° passes, 5.1° warns (error under 0.4 % when it passes)', () => {
    expect(ALONG_BONE_TOLERANCE_DEG).toBe(5);
    expect(checkAlongBone([0, 0, 0], [0, 0, 30], axisTilted(4.9), SAGITTAL).notAlongBone).toBe(false);
    expect(checkAlongBone([0, 0, 0], [0, 0, 30], axisTilted(5.1), SAGITTAL).notAlongBone).toBe(true);
    expect(1 - Math.cos((ALONG_BONE_TOLERANCE_DEG * Math.PI) / 180)).toBeLessThan(0.004);
  });
  it('the plane rule has the same 5° tolerance: a plane 6° off the axis warns, 4° does not', () => {
    const planeOff = (deg: number): Vec3 => [Math.cos((deg * Math.PI) / 180), 0, Math.sin((deg * Math.PI) / 180)];
    const off6 = checkAlongBone([0, 0, 0], [0, 0, 30], SCANNER_Z_AXIS, planeOff(6));
    expect(off6.lineAxisAngleDeg).toBeCloseTo(0, 9);
    expect(off6.planeAxisAngleDeg).toBeCloseTo(6, 6);
    expect(off6.notAlongBone).toBe(true);
    expect(checkAlongBone([0, 0, 0], [0, 0, 30], SCANNER_Z_AXIS, planeOff(4)).notAlongBone).toBe(false);
  });
});

describe('length warning codes', () => {
  it('no bone axis defined: checked against scanner z, and marked BONE_AXIS_NOT_DEFINED even when along z', () => {
    const c = checkAlongBone([0, 0, 0], [0, 0, 30], SCANNER_Z_AXIS, SAGITTAL);
    expect(c.notAlongBone).toBe(false);
    expect(lengthWarningCodes({ axisSource: 'scanner-z', notAlongBone: c.notAlongBone })).toEqual(['BONE_AXIS_NOT_DEFINED']);
  });
  it('no axis and off z: both codes, the off-axis one first', () => {
    const c = checkAlongBone([0, 0, 0], [0, 10, 30], SCANNER_Z_AXIS, SAGITTAL);
    expect(c.notAlongBone).toBe(true);
    expect(lengthWarningCodes({ axisSource: 'scanner-z', notAlongBone: c.notAlongBone })).toEqual(['NOT_ALONG_BONE', 'BONE_AXIS_NOT_DEFINED']);
  });
  it('bone axis defined: only NOT_ALONG_BONE when off it, nothing when along it', () => {
    expect(lengthWarningCodes({ axisSource: 'bone-axis', notAlongBone: true })).toEqual(['NOT_ALONG_BONE']);
    expect(lengthWarningCodes({ axisSource: 'bone-axis', notAlongBone: false })).toEqual([]);
  });
});

describe('measurement numbers in the UI language', () => {
  it('French: decimal comma, fixed decimals, no grouping; English: point', () => {
    expect(formatNumber(36, 'fr', 1)).toBe('36,0');
    expect(formatNumber(62.54, 'fr', 1)).toBe('62,5');
    expect(formatNumber(1200, 'fr', 0)).toBe('1200');
    expect(formatNumber(-0.1234, 'fr', 3)).toBe('-0,123');
    expect(formatNumber(36, 'en', 1)).toBe('36.0');
    expect(formatNumber(1200, 'en', 0)).toBe('1200');
  });
});

import { describe, expect, it } from 'vitest';
import { analyseLesion, cropVolumeAround } from '../../../shared/analysis';
import { makeVoxelSampler } from '../../../shared/analysis/sampler';
import { makeSyntheticCt } from '../../fixtures/synthetic-ct';
import type { Vec3 } from '../../../shared/schemas/common';

const { volume, truth } = makeSyntheticCt({
  dimensions: [120, 120, 160],
  pixelMm: 0.7,
  sliceSpacingMm: 1.25,
  noiseSigmaHu: 20,
  seed: 9,
  bone: { tiltDeg: 10, outerRadiusMm: 12, corticalThicknessMm: 4 },
  lesion: { axialLengthMm: 20, startAngleDeg: 0, extentDeg: 140, depth: 'full', shape: 'box' },
});

describe('cropVolumeAround', () => {
  it('keeps every voxel at its patient position', () => {
    const c = cropVolumeAround(volume, truth.canalSeed, 30);
    expect(c.dimensions[0]).toBeLessThan(volume.dimensions[0]);
    expect(c.dimensions[2]).toBeLessThan(volume.dimensions[2]);
    const full = makeVoxelSampler(volume);
    const part = makeVoxelSampler(c);
    for (const off of [[0, 0, 0], [7.3, -4.1, 12.2], [-20, 15, -25]] as Vec3[]) {
      const p: Vec3 = [truth.canalSeed[0] + off[0], truth.canalSeed[1] + off[1], truth.canalSeed[2] + off[2]];
      expect(part.at(p)).toBeCloseTo(full.at(p), 6);
    }
  });

  it('gives the same analysis as the full volume when large enough', () => {
    const a = analyseLesion(volume, truth.canalSeed);
    const b = analyseLesion(cropVolumeAround(volume, truth.canalSeed, 120), truth.canalSeed);
    expect(a.ok && b.ok).toBe(true);
    if (a.ok && b.ok) {
      expect(b.value.axialLengthMm).toBe(a.value.axialLengthMm);
      expect(b.value.circumferentialPercent).toBe(a.value.circumferentialPercent);
    }
  });
});

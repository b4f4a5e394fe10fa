import { describe, expect, it } from 'vitest';
import { dragAxisHandle, makeBoneAxis } from '../../../renderer/viewer/boneAxis';

describe('dragging a bone-axis handle (issue 14)', () => {
  const axis = makeBoneAxis([0, 0, -40], [0, 0, 40], [0, 1, 0])!;
  it('moves an end within the view plane only: its depth along the view normal is kept', () => {
    // On a coronal view (normal y) the drag asks for y + 5 too; only x and z move.
    const a = dragAxisHandle(axis, 'p2', [0, 0, 40], [6, 5, 38], [0, 1, 0])!;
    expect(a.p2Mm).toEqual([6, 0, 38]);
    expect(a.p1Mm).toEqual([0, 0, -40]);
  });
  it('two planes: a coronal drag then a sagittal drag keep each other', () => {
    const a = dragAxisHandle(axis, 'p2', [0, 0, 40], [6, 0, 40], [0, 1, 0])!;
    const b = dragAxisHandle(a, 'p2', a.p2Mm, [123, 3, 40], [1, 0, 0])!;
    expect(b.p2Mm).toEqual([6, 3, 40]);
  });
  it("'both' translates the whole axis (re-centring on the cross-section)", () => {
    const a = dragAxisHandle(axis, 'both', [0, 0, 0], [2, -3, 7], [0, 0, 1])!;
    expect(a.p1Mm).toEqual([2, -3, -40]);
    expect(a.p2Mm).toEqual([2, -3, 40]);
    expect(a.direction).toEqual(axis.direction);
  });
  it('an axis too short to give a direction is refused', () => {
    expect(dragAxisHandle(axis, 'p2', [0, 0, 40], [0, 0, -40], [0, 1, 0])).toBeNull();
  });
});

import type { Vec3 } from '../../../shared/geometry';
import { angleBetweenLinesDeg, dot, sub } from '../../../shared/geometry';
import type { AnyAnnotation, Vp } from './FrwHandleTool';

/**
 * A measurement is shown (and editable) only on a view of its own plane: same orientation and
 * within this distance of it. Shown elsewhere it would be projected — a ring as a flat ellipse,
 * a length on a plane it was not measured on — and read as something it is not.
 */
const ON_PLANE_MM = 0.6;
const ON_PLANE_DEG = 1;

export function isOnViewPlane(viewport: Vp, a: AnyAnnotation): boolean {
  const cam = viewport.getCamera();
  const n = (a.metadata?.viewPlaneNormal ?? null) as Vec3 | null;
  const p = a.data?.handles?.points?.[0] as Vec3 | undefined;
  if (!n || !p || !cam.viewPlaneNormal || !cam.focalPoint) return true;
  if (angleBetweenLinesDeg(n, cam.viewPlaneNormal as unknown as Vec3) > ON_PLANE_DEG) return false;
  const vn = cam.viewPlaneNormal as unknown as Vec3;
  return Math.abs(dot(sub(p, cam.focalPoint as unknown as Vec3), vn)) <= ON_PLANE_MM;
}

import { z } from 'zod';

/** A point or direction in patient coordinates (DICOM LPS, millimetres). */
export const Vec3Schema = z.tuple([z.number(), z.number(), z.number()]);
export type Vec3 = z.infer<typeof Vec3Schema>;

export const AppErrorSchema = z.object({
  code: z.string(),
  message: z.string(),
  file: z.string().optional(),
  field: z.string().optional(),
});

/** ISO 8601 timestamp. */
export const TimestampSchema = z.string().datetime({ offset: true });

/**
 * A realistic session for the SR tests: the real TCIA planning CT gives the study, series,
 * frame of reference and images; two lesions carry a drawn length, an assisted % pair, scores
 * and a recommendation.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { studyContextFromImage, type StudyContext } from '../../../shared/export/studyContext';
import type { SrExportInput } from '../../../shared/export/sr';
import { DATA_DIR } from '../../data';

export const TCIA_CT = join(DATA_DIR, 'tcia-pancreas-planning-ct/CT');

export function tciaFiles(): string[] {
  return readdirSync(TCIA_CT).filter((f) => f.endsWith('.dcm')).sort().map((f) => join(TCIA_CT, f));
}

export function tciaContext(index = 0): StudyContext {
  const r = studyContextFromImage(new Uint8Array(readFileSync(tciaFiles()[index])));
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

export const T0 = '2026-12-07T08:30:00.000Z';

export function realisticInput(context: StudyContext, otherImages: string[]): SrExportInput {
  const provenance = (method: 'manual' | 'assisted', tool: string, sop: string[]) => ({
    seriesInstanceUid: context.seriesInstanceUid,
    sopInstanceUids: sop,
    tool,
    thresholdHu: 400,
    method,
    reader: 'JD',
    time: T0,
  });
  return {
    context,
    reader: 'JD',
    rulesVersion: 'rules-test-1',
    app: { name: 'Fracture-Risk Workstation', version: '0.1.0' },
    createdAt: T0,
    lesions: [
      {
        lesion: { id: 'l1', bone: 'femur', site: 'lower-limb', label: 'left femur, proximal — lésion' },
        thresholdHu: 400,
        trackingUid: '2.25.1001',
        measurements: [
          {
            measurement: { id: 'm1', lesionId: 'l1', kind: 'axialLengthMm', value: 31.25, unit: 'mm', provenance: provenance('manual', 'Length', [otherImages[0]]) },
            lengthPointsMm: [[0, -12.5, -100], [10.5, 0, -130.75]],
          },
          { measurement: { id: 'm2', lesionId: 'l1', kind: 'circumferentialPercent', value: 62.5, unit: '%', provenance: provenance('assisted', 'assisted-analysis', [otherImages[1]]) } },
          { measurement: { id: 'm3', lesionId: 'l1', kind: 'axialPercent', value: 41.3, unit: '%', provenance: provenance('assisted', 'assisted-analysis', [otherImages[1]]) } },
        ],
        assessment: {
          mirelsScore: 9,
          sinsScore: null,
          level: 'first-line-consolidation',
          reasons: ['Mirels score 9 ≥ 9 — Mirels H. Clin Orthop Relat Res 1989;(249):256–64', 'Axial cortical destruction > 30 mm — van der Linden YM et al. J Bone Joint Surg Br 2004;86-B(4):566–73'],
        },
      },
      {
        lesion: { id: 'l2', bone: 'L2', site: 'spine', label: 'L2 body', level: 'L2' },
        thresholdHu: 350,
        measurements: [
          {
            measurement: { id: 'm4', lesionId: 'l2', kind: 'axialLengthMm', value: 12, unit: 'mm', provenance: { ...provenance('manual', 'Length', [otherImages[2]]), thresholdHu: 350 } },
            lengthPointsMm: [[5, 5, -150], [5, 5, -162]],
          },
        ],
        assessment: { mirelsScore: null, sinsScore: 11, level: 'surgical-opinion', reasons: ['SINS 11 (potentially unstable) — Fisher CG et al. Spine 2010;35(22):E1221–9'] },
      },
    ],
  };
}

/** Run a DICOM tool; its output (stdout + stderr) and exit status. */
export function tool(cmd: string, args: string[]): { out: string; status: number | null } {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  return { out: `${r.stdout ?? ''}${r.stderr ?? ''}`, status: r.status };
}

/** dciodvfy's "Error" lines (warnings are returned apart, to be listed and explained). */
export function dciodvfy(file: string): { errors: string[]; warnings: string[]; out: string } {
  const { out } = tool('dciodvfy', [file]);
  const lines = out.split('\n');
  return { errors: lines.filter((l) => /^Error/.test(l)), warnings: lines.filter((l) => /^Warning/.test(l)), out };
}

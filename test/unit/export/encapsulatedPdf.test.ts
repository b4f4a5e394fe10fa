import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildEncapsulatedPdf, ENCAPSULATED_PDF_STORAGE, readEncapsulatedPdf } from '../../../shared/export/encapsulatedPdf';
import { readPart10 } from '../../../shared/export/dicomCodec';
import { dciodvfy, T0, tciaContext, tool } from './srFixtures';

const tmp = mkdtempSync(join(tmpdir(), 'frw-epdf-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function reportLikePdf(extraByte: boolean): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const page = doc.addPage([595, 842]);
  page.drawText('Fracture-risk report', { x: 50, y: 780, size: 18, font });
  page.drawText('Axial length 31.3 mm - circumferential 62.5 %', { x: 50, y: 740, size: 12, font });
  const bytes = await doc.save();
  // Make the length odd or even on purpose: the pad byte must never reach the reader.
  if ((bytes.length % 2 === 1) === extraByte) return bytes;
  const out = new Uint8Array(bytes.length + 1);
  out.set(bytes);
  out[bytes.length] = 0x0a;
  return out;
}

describe('Encapsulated PDF', () => {
  const context = tciaContext(0);
  let pdfOdd: Uint8Array;
  let pdfEven: Uint8Array;
  beforeAll(async () => {
    pdfOdd = await reportLikePdf(true);
    pdfEven = await reportLikePdf(false);
  });

  it.each([
    ['odd', () => pdfOdd],
    ['even', () => pdfEven],
  ])('passes dciodvfy and gives back the same PDF bytes (%s length)', (name, pdf) => {
    expect(pdf().length % 2).toBe(name === 'odd' ? 1 : 0);
    const bytes = buildEncapsulatedPdf({ context, pdf: pdf(), documentTitle: 'Fracture-risk report', createdAt: T0, app: { name: 'Fracture-Risk Workstation', version: '0.1.0' } });
    const file = join(tmp, `report-${name}.dcm`);
    writeFileSync(file, bytes);
    const v = dciodvfy(file);
    expect(v.out).toContain('EncapsulatedPDF');
    expect(v.errors).toEqual([]);
    // Warnings left: the TCIA name has no '^' (copied as is) and its Study ID is empty.
    for (const w of v.warnings) expect(w).toMatch(/Retired Person Name form|Study ID/);

    const back = readEncapsulatedPdf(bytes);
    expect(back.ok).toBe(true);
    if (!back.ok) return;
    expect(Buffer.from(back.value.pdf).equals(Buffer.from(pdf()))).toBe(true);
    expect(back.value.studyInstanceUid).toBe(context.studyInstanceUid);
    expect(back.value.seriesInstanceUid).not.toBe(context.seriesInstanceUid);
    const pdfFile = join(tmp, `back-${name}.pdf`);
    writeFileSync(pdfFile, back.value.pdf);
    expect(tool('pdftotext', [pdfFile, '-']).out).toContain('Axial length 31.3 mm');

    const ds = readPart10(bytes);
    if (!ds.ok) throw new Error(ds.error.message);
    expect(ds.value.SOPClassUID).toBe(ENCAPSULATED_PDF_STORAGE);
    expect(ds.value.Modality).toBe('DOC');
    expect(ds.value.PatientID).toBe(context.patientId);
    expect(ds.value.MIMETypeOfEncapsulatedDocument).toBe('application/pdf');
  });

  it('refuses what is not a PDF and reads no other object as one', () => {
    expect(() => buildEncapsulatedPdf({ context, pdf: new Uint8Array([1, 2, 3, 4, 5, 6]), documentTitle: 'x', createdAt: T0, app: { name: 'a', version: '1' } })).toThrow(/PDF/);
    const r = readEncapsulatedPdf(new Uint8Array(10));
    expect(r.ok || r.error.code).toBe('DICOM_NOT_PART10');
  });
});

/** The data elements parseHeader reads, by name (dicom-parser's keys). */
export const TAG = {
  imageType: 'x00080008',
  sopClassUid: 'x00080016',
  sopInstanceUid: 'x00080018',
  studyDate: 'x00080020',
  modality: 'x00080060',
  studyDescription: 'x00081030',
  seriesDescription: 'x0008103e',
  patientName: 'x00100010',
  patientId: 'x00100020',
  sliceThickness: 'x00180050',
  spacingBetweenSlices: 'x00180088',
  gantryTilt: 'x00181120',
  convolutionKernel: 'x00181210',
  studyInstanceUid: 'x0020000d',
  seriesInstanceUid: 'x0020000e',
  seriesNumber: 'x00200011',
  instanceNumber: 'x00200013',
  imagePositionPatient: 'x00200032',
  imageOrientationPatient: 'x00200037',
  frameOfReferenceUid: 'x00200052',
  samplesPerPixel: 'x00280002',
  numberOfFrames: 'x00280008',
  rows: 'x00280010',
  columns: 'x00280011',
  pixelSpacing: 'x00280030',
  bitsAllocated: 'x00280100',
  bitsStored: 'x00280101',
  pixelRepresentation: 'x00280103',
  rescaleIntercept: 'x00281052',
  rescaleSlope: 'x00281053',
  pixelData: 'x7fe00010',
  // Sequences whose items are read (references of RT and other non-image objects).
  referencedSeriesSequence: 'x00081115',
  referencedFrameOfReferenceSequence: 'x30060010',
  structureSetRoiSequence: 'x30060020',
  roiContourSequence: 'x30060039',
  referencedStructureSetSequence: 'x300c0060',
  referencedRtPlanSequence: 'x300c0002',
} as const;

/** Elements read inside the items of the reference sequences (never at the top level). */
export const ITEM_TAG = {
  referencedSopInstanceUid: 'x00081155',
  seriesInstanceUid: 'x0020000e',
  frameOfReferenceUid: 'x00200052',
  rtReferencedStudySequence: 'x30060012',
  rtReferencedSeriesSequence: 'x30060014',
  contourImageSequence: 'x30060016',
  referencedFrameOfReferenceUid: 'x30060024',
  contourSequence: 'x30060040',
} as const;

/** File meta elements read (group 0002). */
export const META_TAG = {
  groupLength: 'x00020000',
  mediaStorageSopClassUid: 'x00020002',
  mediaStorageSopInstanceUid: 'x00020003',
  transferSyntaxUid: 'x00020010',
} as const;

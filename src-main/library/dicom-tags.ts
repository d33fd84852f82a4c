/** Tags read at import, in dicom-parser's `xGGGGEEEE` notation. */
export const Tag = {
  MediaStorageSOPClassUID: 'x00020002',
  TransferSyntaxUID: 'x00020010',
  DirectoryRecordSequence: 'x00041220',
  ReferencedFileID: 'x00041500',
  ReferencedSeriesSequence: 'x00081115',
  SpecificCharacterSet: 'x00080005',
  SOPClassUID: 'x00080016',
  SOPInstanceUID: 'x00080018',
  StudyDate: 'x00080020',
  StudyTime: 'x00080030',
  AccessionNumber: 'x00080050',
  Modality: 'x00080060',
  StudyDescription: 'x00081030',
  SeriesDescription: 'x0008103e',
  PatientName: 'x00100010',
  PatientID: 'x00100020',
  PatientBirthDate: 'x00100030',
  PatientSex: 'x00100040',
  SliceThickness: 'x00180050',
  SpacingBetweenSlices: 'x00180088',
  EchoNumbers: 'x00180086',
  AcquisitionNumber: 'x00200012',
  StudyInstanceUID: 'x0020000d',
  SeriesInstanceUID: 'x0020000e',
  SeriesNumber: 'x00200011',
  InstanceNumber: 'x00200013',
  ImagePositionPatient: 'x00200032',
  ImageOrientationPatient: 'x00200037',
  FrameOfReferenceUID: 'x00200052',
  SamplesPerPixel: 'x00280002',
  PhotometricInterpretation: 'x00280004',
  PlanarConfiguration: 'x00280006',
  NumberOfFrames: 'x00280008',
  FrameIncrementPointer: 'x00280009',
  Rows: 'x00280010',
  Columns: 'x00280011',
  PixelSpacing: 'x00280030',
  BitsAllocated: 'x00280100',
  BitsStored: 'x00280101',
  PixelRepresentation: 'x00280103',
  RescaleIntercept: 'x00281052',
  RescaleSlope: 'x00281053',
  PlanePositionSequence: 'x00209113',
  PlaneOrientationSequence: 'x00209116',
  PixelMeasuresSequence: 'x00289110',
  PixelValueTransformationSequence: 'x00289145',
  SharedFunctionalGroupsSequence: 'x52009229',
  PerFrameFunctionalGroupsSequence: 'x52009230',
  DetectorInformationSequence: 'x00540022',
  SliceVector: 'x00540080',
  GridFrameOffsetVector: 'x3004000c',
  PixelData: 'x7fe00010',
} as const;

/** Transfer syntaxes whose pixel data main can read without a codec. */
export const NATIVE_TRANSFER_SYNTAXES: ReadonlySet<string> = new Set([
  '1.2.840.10008.1.2', // implicit VR little endian
  '1.2.840.10008.1.2.1', // explicit VR little endian
  '1.2.840.10008.1.2.2', // explicit VR big endian (retired)
]);

export const DEFLATED_TRANSFER_SYNTAX = '1.2.840.10008.1.2.1.99';
export const EXPLICIT_LITTLE_ENDIAN = '1.2.840.10008.1.2.1';

/** Every transfer syntax the app knows (native, deflated, and those Cornerstone's codecs decode). */
export const KNOWN_TRANSFER_SYNTAXES: ReadonlySet<string> = new Set([
  ...NATIVE_TRANSFER_SYNTAXES,
  DEFLATED_TRANSFER_SYNTAX,
  '1.2.840.10008.1.2.4.50', // JPEG baseline
  '1.2.840.10008.1.2.4.51', // JPEG extended
  '1.2.840.10008.1.2.4.57', // JPEG lossless
  '1.2.840.10008.1.2.4.70', // JPEG lossless SV1
  '1.2.840.10008.1.2.4.80', // JPEG-LS lossless
  '1.2.840.10008.1.2.4.81', // JPEG-LS near-lossless
  '1.2.840.10008.1.2.4.90', // JPEG 2000 lossless
  '1.2.840.10008.1.2.4.91', // JPEG 2000
  '1.2.840.10008.1.2.4.201', // HTJ2K lossless
  '1.2.840.10008.1.2.4.202', // HTJ2K lossless RPCL
  '1.2.840.10008.1.2.4.203', // HTJ2K
  '1.2.840.10008.1.2.5', // RLE lossless
  '1.2.840.10008.1.2.8.1', // deflated image frame compression
]);

export const MEDIA_STORAGE_DIRECTORY_CLASS = '1.2.840.10008.1.3.10';

export const BIG_ENDIAN_TRANSFER_SYNTAX = '1.2.840.10008.1.2.2';

/**
 * NIfTI volumes (.nii, .nii.gz) as single-volume series: the file becomes one instance of a series
 * of kind 'nifti' with the volume's geometry, under a patient named after the file (NIfTI carries
 * no patient). UIDs are derived from the file's content, so the same file imported twice is one.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { parseNifti } from '../../src-shared/nifti';
import type { HeaderReadResult } from './dicom-header';
import { errorText } from './dicom-header';

export function isNiftiName(name: string): boolean {
  return /\.nii(\.gz)?$/i.test(name);
}

/** A UID under the 2.25 root (a 128-bit number) made from a digest. */
function uidFrom(digest: Buffer, salt: string): string {
  const bytes = createHash('sha256').update(digest).update(salt).digest().subarray(0, 16);
  return `2.25.${BigInt(`0x${bytes.toString('hex')}`).toString(10)}`;
}

export async function readNiftiHeader(path: string, displayName: string): Promise<HeaderReadResult> {
  const stored = await readFile(path);
  let bytes: Uint8Array;
  try {
    bytes = /\.gz$/i.test(displayName) ? gunzipSync(stored) : stored;
  } catch (error) {
    return { kind: 'unreadable', reason: `NIfTI file cannot be decompressed: ${errorText(error)}` };
  }
  let volume;
  try {
    volume = parseNifti(bytes);
  } catch (error) {
    return { kind: 'unreadable', reason: `NIfTI header cannot be read: ${errorText(error)}` };
  }
  const digest = createHash('sha256').update(stored).digest();
  const name = basename(displayName);
  const [nx, ny, nz] = volume.dims;
  const [sx, sy, sz] = volume.spacing;
  return {
    kind: 'instance',
    header: {
      sopInstanceUid: uidFrom(digest, 'instance'),
      sopClassUid: '',
      kind: 'nifti',
      referencedSeriesUid: null,
      framePositions: null,
      studyInstanceUid: uidFrom(digest, 'study'),
      seriesInstanceUid: uidFrom(digest, 'series'),
      transferSyntaxUid: 'nifti',
      patientName: name,
      patientId: '',
      patientBirthDate: '',
      patientSex: '',
      studyDate: '',
      studyTime: '',
      studyDescription: 'NIfTI volume',
      accessionNumber: '',
      modality: 'NIfTI',
      seriesNumber: null,
      seriesDescription: `${name} (${nx}×${ny}×${nz}, ${sx}×${sy}×${sz} mm, ${volume.affineSource})`,
      frameOfReferenceUid: '',
      instanceNumber: null,
      echoNumber: null,
      acquisitionNumber: null,
      imagePositionPatient: null,
      imageOrientationPatient: null,
      pixelSpacing: [sy, sx],
      sliceThickness: sz,
      rows: ny,
      columns: nx,
      frames: nz,
      bitsAllocated: 0,
      bitsStored: 0,
      pixelRepresentation: 0,
      samplesPerPixel: 1,
      photometricInterpretation: '',
      planarConfiguration: 0,
      rescaleSlope: 1,
      rescaleIntercept: 0,
      pixelData: null,
      fileSize: stored.length,
    },
  };
}

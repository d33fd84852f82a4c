/**
 * What the library would store for a DICOM file (its header's pixel layout and offsets), without a
 * library: for tests that read pixels through the analysis path.
 */
import { readInstanceHeader } from '../src-main/library/dicom-header';
import type { StoredInstance } from '../src-main/library/library-store';

export async function storedInstance(path: string): Promise<StoredInstance> {
  const read = await readInstanceHeader(path);
  if (read.kind !== 'instance') throw new Error(`${path}: ${read.kind}`);
  const h = read.header;
  return {
    id: 1,
    path,
    transferSyntax: h.transferSyntaxUid,
    position: null,
    orientation: null,
    pixelSpacing: null,
    rows: h.rows,
    columns: h.columns,
    frames: h.frames,
    framePositions: h.framePositions,
    bitsAllocated: h.bitsAllocated,
    bitsStored: h.bitsStored,
    pixelRepresentation: h.pixelRepresentation,
    samplesPerPixel: h.samplesPerPixel,
    rescaleSlope: h.rescaleSlope,
    rescaleIntercept: h.rescaleIntercept,
    pixelOffset: h.pixelData?.offset ?? null,
    pixelLength: h.pixelData?.length ?? null,
    photometric: h.photometricInterpretation,
  };
}

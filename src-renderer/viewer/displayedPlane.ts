import { metaData, type Types } from '@cornerstonejs/core';
import type { ImagePlane } from './planeGeometry';

export interface DisplayedPlane {
  readonly plane: ImagePlane;
  readonly frameOfReferenceUid: string;
}

/**
 * The plane of the image a stack viewport shows, from the loaded file's Image Plane module; null
 * when none is shown or the file has no real geometry (Cornerstone would assume an axial one).
 */
export function displayedPlane(viewport: Types.IStackViewport): DisplayedPlane | null {
  const imageId = viewport.getImageIds().length > 0 ? viewport.getCurrentImageId() : undefined;
  if (!imageId) return null;
  const module = metaData.get('imagePlaneModule', imageId) as Types.ImagePlaneModule | undefined;
  if (!module || module.usingDefaultValues || !module.frameOfReferenceUID) return null;
  const { imagePositionPatient, rowCosines, columnCosines, columnPixelSpacing, rowPixelSpacing } = module;
  if (!imagePositionPatient || !rowCosines || !columnCosines || !columnPixelSpacing || !rowPixelSpacing)
    return null;
  return {
    frameOfReferenceUid: module.frameOfReferenceUID,
    plane: {
      position: [imagePositionPatient[0], imagePositionPatient[1], imagePositionPatient[2]],
      rowCosines: [rowCosines[0], rowCosines[1], rowCosines[2]],
      columnCosines: [columnCosines[0], columnCosines[1], columnCosines[2]],
      columnSpacing: columnPixelSpacing,
      rowSpacing: rowPixelSpacing,
      columns: module.columns,
      rows: module.rows,
    },
  };
}

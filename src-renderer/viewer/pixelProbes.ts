import { imageLoader, utilities, type Types } from '@cornerstonejs/core';
import { wadouri } from '@cornerstonejs/dicom-image-loader';
import { annotation } from '@cornerstonejs/tools';
import { getApi } from '../api';

import type { DecodedPixels, DecodeFailure } from '../../src-shared/pixel-probe';

export type { DecodedPixels, DecodeFailure };

/** The imageId of every instance in the library, keyed by SOP Instance UID. */
export async function libraryImageIds(): Promise<Record<string, string>> {
  const api = getApi();
  const byUid: Record<string, string> = {};
  for (const study of await api.listStudies()) {
    for (const series of await api.listSeries(study.studyInstanceUid)) {
      for (const instance of await api.listInstances(series.seriesId))
        byUid[instance.sopInstanceUid] = `wadouri:${instance.url}`;
    }
  }
  return byUid;
}

/**
 * Loads a frame through Cornerstone's loader (the same path the viewports use) and returns its
 * modality values: the loader pre-scales where it can; otherwise slope and intercept are applied here.
 */
export async function decodedPixels(imageId: string): Promise<DecodedPixels | DecodeFailure> {
  let image: Types.IImage;
  try {
    image = await imageLoader.loadAndCacheImage(imageId);
  } catch (error) {
    return { error: describeLoadError(error) };
  }
  const stored = image.getPixelData();
  const scaled = image.preScale?.scaled === true || image.color;
  const slope = image.slope ?? 1;
  const intercept = image.intercept ?? 0;
  const values = scaled ? Array.from(stored) : Array.from(stored, (value) => value * slope + intercept);
  return {
    width: image.columns,
    height: image.rows,
    components: image.color ? stored.length / (image.columns * image.rows) : 1,
    photometricInterpretation: image.photometricInterpretation ?? '',
    values,
  };
}

/**
 * Decodes a file the user picked, without the library: for files the library refuses to index
 * (missing UIDs, say), so that the decoder itself can still be checked on them.
 */
export function decodedFilePixels(file: File): Promise<DecodedPixels | DecodeFailure> {
  return decodedPixels(wadouri.fileManager.add(file));
}

/** Cornerstone rejects with Errors, strings or plain objects ({ error }): make one sentence. */
export function describeLoadError(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'string') return error;
  if (error && typeof error === 'object') {
    const inner =
      (error as { error?: unknown; message?: unknown }).error ?? (error as { message?: unknown }).message;
    if (inner !== undefined && inner !== error) return describeLoadError(inner);
  }
  return 'unknown decoder error';
}

/**
 * The grey level (0-255, mean of R, G, B) the user sees at an image pixel of the viewport's current
 * image: read back from the on-screen canvas, so it includes VOI, inversion and any transform.
 */
export function displayedGrey(viewport: Types.IStackViewport, column: number, row: number): number {
  const imageId = viewport.getCurrentImageId();
  if (!imageId) throw new Error('no image is displayed');
  const world = utilities.imageToWorldCoords(imageId, [column + 0.5, row + 0.5]);
  if (!world) throw new Error('the image has no plane geometry');
  return canvasGrey(viewport, world);
}

/** The colour (R, G, B, 0-255) on a viewport's canvas where a patient-space point is drawn. */
export function canvasRgb(
  viewport: Pick<Types.IViewport, 'canvas' | 'worldToCanvas'>,
  world: Types.Point3,
): [number, number, number] {
  const [x, y] = viewport.worldToCanvas(world);
  const canvas = viewport.canvas;
  const scale = canvas.width / canvas.clientWidth;
  const context = canvas.getContext('2d');
  if (!context) throw new Error('the viewport canvas has no 2D context');
  const [r = 0, g = 0, b = 0] = context.getImageData(Math.floor(x * scale), Math.floor(y * scale), 1, 1).data;
  return [r, g, b];
}

/** The grey level (0-255, mean of R, G, B) on a viewport's canvas where a patient-space point is drawn. */
export function canvasGrey(
  viewport: Pick<Types.IViewport, 'canvas' | 'worldToCanvas'>,
  world: Types.Point3,
): number {
  const [r, g, b] = canvasRgb(viewport, world);
  return (r + g + b) / 3;
}

/** Where an image pixel's centre is on the page (CSS pixels), for tests that draw with the mouse. */
export function imagePointOnPage(
  viewport: Types.IStackViewport,
  column: number,
  row: number,
): [number, number] {
  const imageId = viewport.getCurrentImageId();
  const world = imageId ? utilities.imageToWorldCoords(imageId, [column + 0.5, row + 0.5]) : undefined;
  if (!world) throw new Error('no image with plane geometry is displayed');
  return worldPointOnPage(viewport, world);
}

/** Where a patient-space point (mm) falls on the page (CSS pixels) in a viewport. */
export function worldPointOnPage(viewport: Types.IStackViewport, world: Types.Point3): [number, number] {
  const [x, y] = viewport.worldToCanvas(world);
  const box = viewport.canvas.getBoundingClientRect();
  return [box.left + x, box.top + y];
}

/** The handles of every annotation on an image, in image pixel coordinates (column, row). */
export function annotationImagePoints(imageId: string): Array<Array<[number, number]>> {
  return annotation.state.getAllAnnotations().map((item) =>
    (item.data.handles?.points ?? []).map((point) => {
      const [column, row] = utilities.worldToImageCoords(imageId, point) ?? [NaN, NaN];
      return [column, row] as [number, number];
    }),
  );
}

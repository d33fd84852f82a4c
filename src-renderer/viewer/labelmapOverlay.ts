import { cache, Enums, imageLoader, type Types } from '@cornerstonejs/core';
import { countNonZero, StyledLabelmap, type LabelmapSource } from './styledLabelmap';

/** Slices loaded, or labelmap slices made, per task: about a frame's work on a slow machine. */
const SLICES_PER_STEP = 16;

/** Resolves in a later task, so the browser can draw a frame and handle input first. */
const nextTask = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

/**
 * A labelmap drawn over one stack viewport as a Cornerstone stack segmentation: one derived 8-bit
 * image per referenced slice, filled from the source's bytes.
 */
export class LabelmapOverlay extends StyledLabelmap {
  private labelmapImageIds: string[] = [];
  private generation = 0;

  constructor(private readonly viewportId: string) {
    super([viewportId]);
  }

  /** referencedImageIds: the stack's slices, in the source's slice order. */
  async showSource(referencedImageIds: readonly string[], source: LabelmapSource): Promise<void> {
    const bytes = source.bytes;
    const generation = ++this.generation;
    this.remove();
    if (referencedImageIds.length !== source.slices) {
      throw new Error(
        `The segmentation has ${source.slices} slices but the series shows ${referencedImageIds.length}.`,
      );
    }
    // Derived images copy geometry from the referenced images' metadata, so every slice must be
    // loaded. A few at a time, and the labelmap built a few slices at a time, with the frame loop
    // running in between: all at once stalled the viewer for about a second (docs/benchmarks.md).
    const images: Types.IImage[] = [];
    for (let start = 0; start < referencedImageIds.length; start += SLICES_PER_STEP) {
      const step = referencedImageIds.slice(start, start + SLICES_PER_STEP);
      images.push(...(await Promise.all(step.map((id) => imageLoader.loadAndCacheImage(id)))));
      if (generation !== this.generation) return;
    }
    const mismatch = images.find((image) => image.columns !== source.columns || image.rows !== source.rows);
    if (mismatch) {
      throw new Error(
        `The segmentation is ${source.columns}×${source.rows} per slice but the images are ${mismatch.columns}×${mismatch.rows}.`,
      );
    }

    const sliceLength = source.columns * source.rows;
    const labelmaps: Types.IImage[] = [];
    for (const [k, referencedImageId] of referencedImageIds.entries()) {
      if (k > 0 && k % SLICES_PER_STEP === 0) {
        await nextTask();
        if (generation !== this.generation) return this.dropImages(labelmaps);
      }
      const image = imageLoader.createAndCacheDerivedLabelmapImage(referencedImageId, {
        voxelRepresentation: Enums.VoxelManagerEnum.Volume,
        instanceNumber: k + 1,
      });
      labelmaps.push(image);
      const scalars = image.voxelManager?.getScalarData();
      if (!scalars || scalars.length !== sliceLength) {
        this.dropImages(labelmaps);
        throw new Error('Cornerstone made an unexpected labelmap image.');
      }
      // Both run i fastest, then j: the slice's bytes map 1:1 onto the image's scalar array.
      scalars.set(bytes.subarray(k * sliceLength, (k + 1) * sliceLength));
    }
    this.labelmapImageIds = labelmaps.map((image) => image.imageId);
    this.attach(`lumen-${source.id}-${this.viewportId}-${generation}`, source, {
      imageIds: this.labelmapImageIds,
    });
  }

  /** Takes the overlay off the viewport and frees its derived images. */
  private remove(): void {
    this.detach();
    for (const imageId of this.labelmapImageIds) cache.removeImageLoadObject(imageId, { force: true });
    this.labelmapImageIds = [];
  }

  /** Frees derived images of a build that was superseded or failed before it was attached. */
  private dropImages(images: readonly Types.IImage[]): void {
    for (const image of images) cache.removeImageLoadObject(image.imageId, { force: true });
  }

  clear(): void {
    this.generation++;
    this.remove();
  }

  nonZeroCount(): number {
    return this.labelmapImageIds.reduce(
      (sum, imageId) => sum + countNonZero(cache.getImage(imageId)?.voxelManager?.getScalarData()),
      0,
    );
  }
}

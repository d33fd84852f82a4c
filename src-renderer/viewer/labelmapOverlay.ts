import { cache, Enums, imageLoader } from '@cornerstonejs/core';
import { countNonZero, StyledLabelmap, type LabelmapSource } from './styledLabelmap';

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
    // Derived images copy geometry from the referenced images' metadata, so every slice must be loaded.
    const images = await Promise.all(referencedImageIds.map((id) => imageLoader.loadAndCacheImage(id)));
    if (generation !== this.generation) return;
    const mismatch = images.find((image) => image.columns !== source.columns || image.rows !== source.rows);
    if (mismatch) {
      throw new Error(
        `The segmentation is ${source.columns}×${source.rows} per slice but the images are ${mismatch.columns}×${mismatch.rows}.`,
      );
    }

    const labelmaps = imageLoader.createAndCacheDerivedLabelmapImages([...referencedImageIds], {
      voxelRepresentation: Enums.VoxelManagerEnum.Volume,
    });
    const sliceLength = source.columns * source.rows;
    labelmaps.forEach((image, k) => {
      const scalars = image.voxelManager?.getScalarData();
      if (!scalars || scalars.length !== sliceLength)
        throw new Error('Cornerstone made an unexpected labelmap image.');
      // Both run i fastest, then j: the slice's bytes map 1:1 onto the image's scalar array.
      scalars.set(bytes.subarray(k * sliceLength, (k + 1) * sliceLength));
    });
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

/**
 * One image as a PNG data URL of a given height (the image's aspect), drawn by a stack viewport of
 * its own the way the viewer's show it: the file's window or the image's range, MONOCHROME1
 * inverted, colour as stored.
 *
 * Not Cornerstone's loadImageToCanvas (5.14): its viewport takes the image by renderImageObject,
 * which builds the colour transfer function before it has a window, over the scalars' range (for
 * RGB, the range of |RGB|), and then stretches that function's points onto the window. Where the
 * range has no width (every pixel of the same |RGB|, or a flat grey image) the points go to NaN
 * and each channel comes out thresholded and inverted: (230, 80, 0) drew as (0, 0, 255), red and
 * blue seemingly swapped. setStack takes the window first, as the viewer's viewports do.
 */
import {
  Enums,
  imageLoader,
  imageLoadPoolManager,
  type StackViewport,
  type Types,
} from '@cornerstonejs/core';
import { pageRenderingEngine } from './pageRenderingEngines';

/** Below the viewer's own loads and its prefetch, as loadImageToCanvas queued thumbnails. */
const PRIORITY = -5;
let viewports = 0;

function loadQueued(imageId: string): Promise<Types.IImage> {
  const requestType = Enums.RequestType.Thumbnail;
  // The stack viewport's useRGBA (the loader reads it; its declared type lacks it): the cached image
  // then serves the viewer as is.
  const options = { useRGBA: false, priority: PRIORITY, requestType };
  return new Promise((resolve, reject) =>
    imageLoadPoolManager.addRequest(
      () => imageLoader.loadAndCacheImage(imageId, options).then(resolve, reject),
      requestType,
      { imageId },
      PRIORITY,
    ),
  );
}

export async function thumbnailPng(imageId: string, height: number): Promise<string> {
  const image = await loadQueued(imageId);
  const ratio = window.devicePixelRatio || 1;
  const element = document.createElement('div');
  Object.assign(element.style, {
    position: 'absolute',
    visibility: 'hidden',
    width: `${(height * image.width) / image.height / ratio}px`,
    height: `${height / ratio}px`,
  });
  document.body.append(element);
  const engine = pageRenderingEngine('lumen-thumbnails');
  const viewportId = `lumen-thumbnail-${++viewports}`;
  engine.enableElement({ viewportId, type: Enums.ViewportType.STACK, element });
  try {
    const viewport = engine.getViewport(viewportId) as StackViewport;
    await viewport.setStack([imageId]);
    const rendered = new Promise((resolve) =>
      element.addEventListener(Enums.Events.IMAGE_RENDERED, resolve, { once: true }),
    );
    viewport.render();
    await rendered;
    return viewport.canvas.toDataURL('image/png');
  } finally {
    engine.disableElement(viewportId);
    element.remove();
  }
}

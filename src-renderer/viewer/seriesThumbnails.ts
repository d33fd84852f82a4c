/**
 * Series thumbnails: the middle image of an image series, drawn the way the viewer shows it (the
 * file's window, or the image's range without one; MONOCHROME1 inverted; colour as stored), kept as
 * a PNG data URL. Drawn one at a time so the list never competes with the viewer.
 */
import { getApi } from '../api';
import { initCornerstone } from './cornerstoneInit';
import { stackImageIds } from './imageIds';
import { thumbnailPng } from './thumbnailPng';

export interface SeriesThumbnail {
  readonly url: string;
  /** The SOP Instance UID of the image drawn. */
  readonly sopInstanceUid: string;
}

/** Keyed by image (SOP Instance UID and frame), not series id: ids of deleted series are reused. */
const drawn = new Map<string, Promise<string>>();
let previous: Promise<unknown> = Promise.resolve();

/** The series' thumbnail; null when it has no image to show. */
export async function seriesThumbnail(seriesId: number): Promise<SeriesThumbnail | null> {
  const instances = await getApi().listInstances(seriesId);
  const imageIds = stackImageIds(instances);
  // The same order as stackImageIds: present instances, each as its frames.
  const frames = instances
    .filter((instance) => !instance.missing)
    .flatMap((instance) =>
      Array.from({ length: Math.max(1, instance.frames) }, (_, frame) => ({ instance, frame })),
    );
  const middle = Math.floor(imageIds.length / 2);
  const imageId = imageIds[middle];
  const { instance, frame } = frames[middle] ?? {};
  if (!imageId || !instance) return null;
  const key = `${instance.sopInstanceUid}#${frame}`;
  let url = drawn.get(key);
  if (!url) {
    url = previous.then(() => draw(imageId));
    previous = url.catch(() => undefined);
    drawn.set(key, url);
    // A failed drawing may succeed later (e.g. the file comes back); do not keep the failure.
    url.catch(() => drawn.delete(key));
  }
  return { url: await url, sopInstanceUid: instance.sopInstanceUid };
}

async function draw(imageId: string): Promise<string> {
  await initCornerstone();
  // Thumbnails wait for an idle moment: scrolling and decoding in the viewer come first.
  await new Promise((resolve) => requestIdleCallback(resolve, { timeout: 2000 }));
  return thumbnailPng(imageId, 256);
}

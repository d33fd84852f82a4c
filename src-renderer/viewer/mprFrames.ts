/**
 * The files behind a volume's imageIds: a multi-frame file's frames (`...?frame=N`) share one
 * data set, which the wadouri loader keeps under the URL without the frame parameter and reads
 * each frame's geometry from (its per-frame functional groups over the shared ones).
 */
export interface DataSetRequest {
  readonly url: string;
  /** One of the file's imageIds, for the loader's request. */
  readonly imageId: string;
}

const FRAME_PARAMETER = /[?&]frame=\d+$/;

/** One request per file, in the order of first appearance. */
export function dataSetRequests(imageIds: readonly string[]): DataSetRequest[] {
  const byUrl = new Map<string, string>();
  for (const imageId of imageIds) {
    const url = imageId.replace(/^wadouri:/, '').replace(FRAME_PARAMETER, '');
    if (!byUrl.has(url)) byUrl.set(url, imageId);
  }
  return [...byUrl].map(([url, imageId]) => ({ url, imageId }));
}

/**
 * What makes two analyses the same: the model, its weights, its parameters and the decoded input
 * pixels (never file paths, so a re-imported copy of a series hits the cache too).
 */
import { createHash } from 'node:crypto';
import type { LibraryDb } from '../library/library-db';

/** SOP instance UIDs of a series in display order. */
export function seriesSopUids(db: LibraryDb, seriesId: number): string[] {
  return db
    .all<{ sop_uid: string }>(
      'SELECT sop_uid FROM instances WHERE series_ref = ? ORDER BY sort_key, instance_number, id',
      seriesId,
    )
    .map((row) => row.sop_uid);
}

/** Names the exact set of instances; used only to remember their pixel hash, never as the cache key. */
export function inputsSha256(seriesUid: string, sopUids: readonly string[]): string {
  return createHash('sha256').update(seriesUid).update('\n').update(sopUids.join('\n')).digest('hex');
}

/**
 * Hash of the decoded pixels and their geometry (a volume's dims and affine, an image's size):
 * equal pixels on an equal grid give equal results.
 */
export function pixelsSha256(geometry: object, data: Float32Array): string {
  return createHash('sha256')
    .update(JSON.stringify(geometry))
    .update(new Uint8Array(data.buffer, data.byteOffset, data.byteLength))
    .digest('hex');
}

export function cacheKey(modelId: string, weightsSha256: string, params: string, pixels: string): string {
  return createHash('sha256')
    .update(JSON.stringify([modelId, weightsSha256, params, pixels]))
    .digest('hex');
}

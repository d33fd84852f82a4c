/**
 * The units of an image's modality values, as the file states them. Cornerstone 5.14 labels every
 * CT value HU; a file's Rescale Type (0028,1054), or the Modality LUT Type (0028,3004) of its
 * Modality LUT Sequence, says otherwise where present ('US': unspecified). PET keeps Cornerstone's
 * units (the loader's SUV scaling and the PET series' Units decide them).
 */
import { cache } from '@cornerstonejs/core';
import { firstValue, naturalized } from './naturalized';

const UNSPECIFIED = 'US';

function text(value: unknown): string | undefined {
  const first = firstValue(value);
  return typeof first === 'string' && first.trim() !== '' ? first.trim() : undefined;
}

/** The file's rescale or modality LUT type; undefined where it names none. */
function statedType(instance: Record<string, unknown>): string | undefined {
  const item = firstValue(instance.ModalityLUTSequence);
  const lutType =
    item && typeof item === 'object' ? (item as { ModalityLUTType?: unknown }).ModalityLUTType : undefined;
  return text(instance.RescaleType) ?? text(lutType);
}

/** The unit of an image's values: the file's stated type ('' when unspecified), else what Cornerstone reported. */
export function pixelValueUnit(imageId: string | undefined, reported: string): string {
  const instance = imageId ? naturalized(imageId) : undefined;
  if (!instance || text(instance.Modality) === 'PT') return reported;
  const stated = statedType(instance);
  if (stated === undefined) return reported;
  return stated === UNSPECIFIED ? '' : stated;
}

/** An image of a measurement's target ('imageId:…', or 'volumeId:…' for an MPR view: its first slice). */
function targetImageId(targetId: string): string | undefined {
  if (targetId.startsWith('imageId:')) return targetId.slice('imageId:'.length);
  if (targetId.startsWith('volumeId:'))
    return cache.getVolume(targetId.slice('volumeId:'.length))?.imageIds[0];
  return undefined;
}

/** A measurement's cached statistics per target, with each modality unit as the file states it. */
export function withFileUnits<T extends { modalityUnit?: string }>(
  stats: Readonly<Record<string, T>>,
): Record<string, T> {
  return Object.fromEntries(
    Object.entries(stats).map(([targetId, entry]) => [
      targetId,
      entry.modalityUnit === undefined
        ? entry
        : { ...entry, modalityUnit: pixelValueUnit(targetImageId(targetId), entry.modalityUnit) },
    ]),
  );
}

type TextLines = (
  data: { cachedStats?: Record<string, { modalityUnit?: string }> },
  targetId: unknown,
) => unknown;

/**
 * Makes a measurement tool's on-image text use the file's units: its text lines are built from the
 * statistics with their units corrected.
 */
export function reportFileUnits(tool: { configuration: Record<string, unknown> }): void {
  const lines = tool.configuration.getTextLines as TextLines | undefined;
  if (!lines) return;
  const corrected: TextLines = (data, targetId) =>
    lines({ ...data, cachedStats: data.cachedStats && withFileUnits(data.cachedStats) }, targetId);
  tool.configuration.getTextLines = corrected;
}

import { makeArrayLike } from '@cornerstonejs/metadata/utilities/metadataProvider/makeArrayLike';

/** A key of an object, or an index of an array, on the way down a naturalized data set. */
type Step = string | number;

/**
 * A naturalized data set (Cornerstone's keyword → value form of a DICOM file) ready to be posted to
 * another thread. Structured cloning keeps its values and bulk data, but not what makes a one-item
 * sequence's item array-like (non-enumerable `0` and `length`, a symbol-keyed iterator): the paths
 * of those items go beside it, and the receiver makes them array-like again.
 */
export interface NaturalizedParcel {
  readonly naturalized: Record<string, unknown>;
  /** The paths from the top of the items made array-like, outer items before the items inside them. */
  readonly arrayLike: readonly (readonly Step[])[];
}

/** The parcel of a naturalized data set, and its bulk data's buffers to transfer rather than copy. */
export function wrapNaturalized(naturalized: Record<string, unknown>): {
  parcel: NaturalizedParcel;
  transfer: ArrayBuffer[];
} {
  const arrayLike: Step[][] = [];
  const buffers = new Set<ArrayBuffer>();
  const visit = (value: unknown, path: Step[]): void => {
    if (value instanceof ArrayBuffer) buffers.add(value);
    else if (ArrayBuffer.isView(value)) {
      if (value.buffer instanceof ArrayBuffer) buffers.add(value.buffer);
    } else if (Array.isArray(value)) value.forEach((item, index) => visit(item, [...path, index]));
    else if (typeof value === 'object' && value !== null) {
      const item = value as Record<Step, unknown>;
      if (item[0] === item) arrayLike.push(path);
      // Own enumerable keys only: an array-like item's `0` (itself) is not one of them.
      for (const [key, child] of Object.entries(item)) visit(child, [...path, key]);
    }
  };
  visit(naturalized, []);
  return { parcel: { naturalized, arrayLike }, transfer: [...buffers] };
}

/** The naturalized data set of a parcel received, its one-item sequences' items array-like again. */
export function unwrapNaturalized({ naturalized, arrayLike }: NaturalizedParcel): Record<string, unknown> {
  for (const path of arrayLike) {
    let item: unknown = naturalized;
    for (const step of path) item = (item as Record<Step, unknown>)[step];
    makeArrayLike(item);
  }
  return naturalized;
}

/** The shape of `models/<id>/manifest.json`: what the project says about each model it knows. */
export interface ModelManifest {
  readonly id: string;
  readonly name: string;
  readonly version: string;
  readonly task: 'segmentation';
  readonly description: string;
  readonly licence: string;
  /** Modalities the model accepts (DICOM Modality values). */
  readonly modalities: readonly string[];
  readonly weights: {
    /** File name inside `models/<id>/weights/`. */
    readonly file: string;
    readonly sha256: string;
    readonly bytes: number;
    /** Public source for users who are online: an https URL pinned to a commit. */
    readonly url: string;
    /** Relative to the shared test-data folder, when it is beside the checkout. */
    readonly sharedPath: string;
  };
  readonly input: {
    readonly name: string;
    readonly shape: readonly (number | string)[];
    readonly conform: { readonly size: number; readonly voxelMm: number; readonly orientation: 'LIA' };
    readonly normalisation: 'min-max';
  };
  readonly output: {
    readonly name: string;
    readonly shape: readonly (number | string)[];
    readonly postprocess: 'argmax';
  };
  readonly labels: readonly { value: number; name: string; color: [number, number, number] }[];
}

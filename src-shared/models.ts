/**
 * The shape of `models/<id>/manifest.json` (and of a user-installed model's manifest): what the
 * project says about each model it knows. `task` tells the two kinds apart.
 */
export type ModelManifest = SegmentationManifest | ClassificationManifest;

interface ManifestBase {
  readonly id: string;
  readonly name: string;
  readonly version: string;
  readonly description: string;
  readonly licence: string;
  /** Modalities the model accepts (DICOM Modality values). */
  readonly modalities: readonly string[];
  /**
   * Random or otherwise meaningless weights (a stand-in for tests and benchmarks): its outputs are
   * labelled as a test model's and never shown as findings. Absent means false.
   */
  readonly testOnly?: boolean;
  /** What a series must look like beyond its modality to be offered to the model; absent: any. */
  readonly inputGate?: InputGate;
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
}

/**
 * Checks on the series' header geometry (never on the pixels). They can tell a 3D volume from a
 * low-resolution 2D-ish stack, not a T1 from a T2 of the same geometry.
 */
export interface InputGate {
  /** Fewest images in the series. */
  readonly minSlices?: number;
  /** Fewest rows and columns of each image. */
  readonly minMatrix?: number;
  /** Largest voxel edge over the smallest (in-plane spacings and the distance between slices). */
  readonly maxAnisotropy?: number;
  /** Largest voxel edge, mm. */
  readonly maxVoxelMm?: number;
}

export interface SegmentationManifest extends ManifestBase {
  readonly task: 'segmentation';
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

/** A 2D image classifier with one sigmoid score per finding (torchxrayvision-style chest X-ray). */
export interface ClassificationManifest extends ManifestBase {
  readonly task: 'classification';
  readonly input: {
    readonly name: string;
    /** [N, 1, size, size]. */
    readonly shape: readonly (number | string)[];
    /** Edge of the square input. */
    readonly size: number;
    /** Scaled by the image's own maximum to [-1024, 1024], centre-cropped, resized. */
    readonly normalisation: 'xrv-1024';
  };
  /** Logits [N, labels]; a sigmoid makes them scores. */
  readonly output: {
    readonly name: string;
    readonly shape: readonly (number | string)[];
    readonly postprocess: 'sigmoid';
  };
  /** Class activation maps [N, labels, h, w] over the cropped square, when the model has them. */
  readonly cam?: { readonly name: string; readonly shape: readonly (number | string)[] };
  /** One per logit, in output order; `threshold` is the calibrated operating point of the score. */
  readonly labels: readonly { name: string; threshold: number }[];
}

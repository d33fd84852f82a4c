/**
 * Messages between main and the inference process (utilityProcess under Electron,
 * child_process.fork in browser mode). Both directions use structured clone, so typed
 * arrays cross intact.
 */
import type { AnalysisTimings } from './api';
import type { Affine } from './geometry';

export interface ModelSpec {
  readonly id: string;
  readonly path: string;
  readonly inputName: string;
  readonly outputName: string;
  /** Edge of the conformed cube the model expects (256 for MeshNet GWM). */
  readonly conformSize: number;
  readonly classCount: number;
}

/** A scalar volume in the series' own voxel grid: i along columns, j along rows, k along slices. */
export interface SeriesVolume {
  readonly dims: readonly [number, number, number];
  /** Voxel index (i,j,k,1) to patient LPS millimetres, row-major 4x4. */
  readonly affine: Affine;
  readonly data: Float32Array;
}

/** A 2D classifier (chest X-ray): image in, per-class logits and optional class activation maps out. */
export interface ClassifierSpec {
  readonly id: string;
  readonly path: string;
  readonly inputName: string;
  /** Edge of the square input (224). */
  readonly inputSize: number;
  readonly logitsName: string;
  readonly camName: string | null;
  readonly classCount: number;
}

/** One grey image, row after row, with the maximum its bit depth allows (255 for 8 bits). */
export interface GreyImage {
  readonly rows: number;
  readonly columns: number;
  readonly maxValue: number;
  readonly data: Float32Array;
}

export interface ClassifyResult {
  readonly executionProvider: string;
  /** Providers tried before it, and why each was not used (as for segmentation). */
  readonly skippedProviders: readonly { readonly provider: string; readonly reason: string }[];
  /** `session.run` for the whole batch. */
  readonly modelRunMs: number;
  readonly images: readonly {
    /** Sigmoid of the logits, one per class. */
    readonly probabilities: readonly number[];
    readonly cam: Float32Array | null;
  }[];
}

export type InferenceRequest =
  | { readonly type: 'ping'; readonly requestId: number }
  /** Opens a model file's session and reports its inputs and outputs (model installation). */
  | { readonly type: 'inspect'; readonly requestId: number; readonly path: string }
  /** Several images run as one batch: `count` preprocessed images of inputSize^2 values, one after the other. */
  | {
      readonly type: 'classify';
      readonly requestId: number;
      readonly model: ClassifierSpec;
      readonly input: Float32Array;
      readonly count: number;
    }
  | {
      readonly type: 'segment';
      readonly requestId: number;
      readonly model: ModelSpec;
      readonly volume: SeriesVolume;
    };

export type SegmentStage = 'loading-model' | 'conforming' | 'running-model' | 'post-processing';

export interface SegmentResult {
  /** One label per series voxel, index i + columns*(j + rows*k). */
  readonly labels: Uint8Array;
  /** Voxels per label value, index = label value. */
  readonly labelCounts: readonly number[];
  readonly executionProvider: string;
  /** Providers tried before it, and why each was not used. */
  readonly skippedProviders: readonly { readonly provider: string; readonly reason: string }[];
  readonly timings: Omit<AnalysisTimings, 'volumeBuildMs' | 'totalMs'>;
  readonly peakRssBytes: number;
}

/** A model input or output as the runtime sees it; symbolic dimensions are names. */
export interface TensorInfo {
  readonly name: string;
  readonly type: string;
  readonly shape: readonly (number | string)[];
}

export interface ModelIo {
  readonly inputs: readonly TensorInfo[];
  readonly outputs: readonly TensorInfo[];
}

export type InferenceEvent =
  | {
      readonly type: 'ready';
      readonly pid: number;
      readonly executionProviders: readonly string[];
      readonly runtimeVersion: string;
    }
  | { readonly type: 'pong'; readonly requestId: number; readonly rssBytes: number }
  | {
      readonly type: 'progress';
      readonly requestId: number;
      readonly stage: SegmentStage;
      readonly fraction: number;
    }
  | { readonly type: 'segment-result'; readonly requestId: number; readonly result: SegmentResult }
  | { readonly type: 'inspect-result'; readonly requestId: number; readonly io: ModelIo }
  | { readonly type: 'classify-result'; readonly requestId: number; readonly result: ClassifyResult }
  | { readonly type: 'error'; readonly requestId: number; readonly message: string };

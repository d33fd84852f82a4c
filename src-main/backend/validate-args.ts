/**
 * Checks the arguments of every backend call before it runs: whatever arrives over IPC or HTTP is
 * untrusted until it has the exact shape the method declares.
 */
import type {
  BackendMethodName,
  BackendMethods,
  JobState,
  MeasurementToolName,
  StoredMeasurement,
} from '../../src-shared/api';

export class InvalidArgumentsError extends Error {}

type ArgsOf<M extends BackendMethodName> = Parameters<BackendMethods[M]> extends [infer A] ? A : undefined;

type Validator<M extends BackendMethodName> = (raw: unknown) => ArgsOf<M>;

const MAX_PATHS = 10_000;

function object(raw: unknown, keys: readonly string[]): Record<string, unknown> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new InvalidArgumentsError('arguments must be an object');
  }
  const record = raw as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (!keys.includes(key)) throw new InvalidArgumentsError(`unexpected argument "${key}"`);
  }
  return record;
}

function id(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) {
    throw new InvalidArgumentsError(`${name} must be a positive integer`);
  }
  return value;
}

function text(value: unknown, name: string, pattern?: RegExp): string {
  if (
    typeof value !== 'string' ||
    value.length === 0 ||
    value.length > 4096 ||
    (pattern && !pattern.test(value))
  ) {
    throw new InvalidArgumentsError(`${name} is not valid`);
  }
  return value;
}

function none(raw: unknown): undefined {
  if (raw !== undefined && raw !== null) object(raw, []);
  return undefined;
}

const JOB_STATES: readonly JobState[] = ['queued', 'running', 'completed', 'failed', 'cancelled'];
const UID = /^[0-9.]{1,64}$/;
const MODEL_ID = /^[a-z0-9][a-z0-9-]{0,63}$/;

const MEASUREMENT_TOOLS: readonly MeasurementToolName[] = [
  'Length',
  'Angle',
  'EllipticalROI',
  'RectangleROI',
  'Probe',
];
const ANNOTATION_UID = /^[A-Za-z0-9._-]{1,128}$/;
/** Handle points: a tool has at most a few (an angle 3, an ROI 4); coordinates are mm in patient space. */
const MAX_POINTS = 8;
const MAX_COORDINATE = 1e6;

function points(value: unknown): StoredMeasurement['points'] {
  if (!Array.isArray(value) || value.length === 0 || value.length > MAX_POINTS) {
    throw new InvalidArgumentsError(`points must be a list of 1 to ${MAX_POINTS} points`);
  }
  return value.map((point) => {
    if (
      !Array.isArray(point) ||
      point.length !== 3 ||
      !point.every((c) => typeof c === 'number' && Number.isFinite(c) && Math.abs(c) <= MAX_COORDINATE)
    ) {
      throw new InvalidArgumentsError('each point must be three finite coordinates');
    }
    return [point[0], point[1], point[2]] as [number, number, number];
  });
}

function measurement(raw: unknown): Omit<StoredMeasurement, 'createdAt'> {
  const args = object(raw, ['uid', 'sopInstanceUid', 'frame', 'tool', 'points', 'label']);
  if (!MEASUREMENT_TOOLS.includes(args.tool as MeasurementToolName)) {
    throw new InvalidArgumentsError('tool is not a measurement tool');
  }
  if (typeof args.label !== 'string' || args.label.length > 256) {
    throw new InvalidArgumentsError('label must be text of at most 256 characters');
  }
  const frame = id(args.frame, 'frame');
  if (frame > 100_000) throw new InvalidArgumentsError('frame is out of range');
  return {
    uid: text(args.uid, 'uid', ANNOTATION_UID),
    sopInstanceUid: text(args.sopInstanceUid, 'sopInstanceUid', UID),
    frame,
    tool: args.tool as MeasurementToolName,
    points: points(args.points),
    label: args.label,
  };
}

export const validators: { readonly [M in BackendMethodName]: Validator<M> } = {
  listStudies: none,
  listModels: none,
  cancelImports: none,
  getLibrarySettings: none,
  setLibrarySettings: (raw) => {
    const { copyIntoLibrary } = object(raw, ['copyIntoLibrary']);
    if (typeof copyIntoLibrary !== 'boolean')
      throw new InvalidArgumentsError('copyIntoLibrary must be true or false');
    return { copyIntoLibrary };
  },
  deleteStudy: (raw) => ({
    studyInstanceUid: text(object(raw, ['studyInstanceUid']).studyInstanceUid, 'studyInstanceUid', UID),
  }),
  listSeries: (raw) => ({
    studyInstanceUid: text(object(raw, ['studyInstanceUid']).studyInstanceUid, 'studyInstanceUid', UID),
  }),
  listInstances: (raw) => ({ seriesId: id(object(raw, ['seriesId']).seriesId, 'seriesId') }),
  listResults: (raw) => ({ seriesId: id(object(raw, ['seriesId']).seriesId, 'seriesId') }),
  startAnalysis: (raw) => {
    const args = object(raw, ['seriesId', 'modelId']);
    return { seriesId: id(args.seriesId, 'seriesId'), modelId: text(args.modelId, 'modelId', MODEL_ID) };
  },
  listJobs: (raw) => {
    const { states } = object(raw, ['states']);
    if (!Array.isArray(states) || states.length === 0 || states.length > JOB_STATES.length) {
      throw new InvalidArgumentsError('states must be a non-empty list');
    }
    return {
      states: states.map((state) => {
        if (!JOB_STATES.includes(state as JobState)) throw new InvalidArgumentsError(`unknown job state`);
        return state as JobState;
      }),
    };
  },
  cancelJob: (raw) => ({ jobId: id(object(raw, ['jobId']).jobId, 'jobId') }),
  retryJob: (raw) => ({ jobId: id(object(raw, ['jobId']).jobId, 'jobId') }),
  prioritizeJob: (raw) => ({ jobId: id(object(raw, ['jobId']).jobId, 'jobId') }),
  engineStatus: none,
  getEngineSettings: none,
  setEngineSettings: (raw) => {
    const { autoAnalyze } = object(raw, ['autoAnalyze']);
    if (typeof autoAnalyze !== 'boolean')
      throw new InvalidArgumentsError('autoAnalyze must be true or false');
    return { autoAnalyze };
  },
  seriesEligibility: (raw) => {
    const { seriesId } = object(raw, ['seriesId']);
    return { seriesId: id(seriesId, 'seriesId') };
  },
  installModel: (raw) => {
    const args = object(raw, ['onnxPath', 'manifestPath']);
    return {
      onnxPath: text(args.onnxPath, 'onnxPath', /\.onnx$/i),
      manifestPath: text(args.manifestPath, 'manifestPath', /\.json$/i),
    };
  },
  loadSegmentation: (raw) => {
    const args = object(raw, ['segSeriesId', 'seriesId']);
    return { segSeriesId: id(args.segSeriesId, 'segSeriesId'), seriesId: id(args.seriesId, 'seriesId') };
  },
  listMeasurements: (raw) => ({ seriesId: id(object(raw, ['seriesId']).seriesId, 'seriesId') }),
  saveMeasurement: measurement,
  deleteMeasurement: (raw) => ({ uid: text(object(raw, ['uid']).uid, 'uid', ANNOTATION_UID) }),
  importPaths: (raw) => {
    const { paths } = object(raw, ['paths']);
    if (!Array.isArray(paths) || paths.length === 0 || paths.length > MAX_PATHS) {
      throw new InvalidArgumentsError('paths must be a non-empty list');
    }
    return { paths: paths.map((path, index) => text(path, `paths[${index}]`)) };
  },
};

export function isBackendMethod(name: string): name is BackendMethodName {
  return Object.hasOwn(validators, name);
}

/** Validates, then calls. Unknown methods and bad arguments throw InvalidArgumentsError. */
export function dispatch(backend: BackendMethods, method: string, raw: unknown): Promise<unknown> {
  if (!isBackendMethod(method)) throw new InvalidArgumentsError(`unknown method "${method}"`);
  const args = (validators[method] as (raw: unknown) => unknown)(raw);
  const call = backend[method] as (args: unknown) => Promise<unknown>;
  return call.call(backend, args);
}

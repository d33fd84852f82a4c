/** Checks that a message from the parent is a well-formed InferenceRequest before anything acts on it. */
import type {
  ClassifierSpec,
  InferenceRequest,
  ModelSpec,
  SeriesVolume,
} from '../src-shared/inference-protocol';

export class RequestError extends Error {
  constructor(
    message: string,
    /** The request's id when it could be read, so the reply can still be matched; -1 otherwise. */
    readonly requestId: number,
  ) {
    super(message);
  }
}

type Fields = Record<string, unknown>;

const isObject = (v: unknown): v is Fields => typeof v === 'object' && v !== null;

export function parseRequest(raw: unknown): InferenceRequest {
  if (!isObject(raw)) throw new RequestError('request is not an object', -1);
  const requestId = typeof raw.requestId === 'number' && Number.isFinite(raw.requestId) ? raw.requestId : -1;
  if (requestId === -1) throw new RequestError('request has no numeric requestId', -1);
  const fail = (why: string): never => {
    throw new RequestError(`invalid ${String(raw.type)} request: ${why}`, requestId);
  };
  switch (raw.type) {
    case 'ping':
      return { type: 'ping', requestId };
    case 'inspect':
      if (typeof raw.path !== 'string' || raw.path === '') return fail('path must be a non-empty string');
      return { type: 'inspect', requestId, path: raw.path };
    case 'classify': {
      const model = checkClassifier(raw.model, fail);
      const count = raw.count;
      if (typeof count !== 'number' || !Number.isInteger(count) || count < 1 || count > 256)
        return fail('count must be an integer from 1 to 256');
      if (!(raw.input instanceof Float32Array)) return fail('input must be a Float32Array');
      if (raw.input.length !== count * model.inputSize ** 2)
        return fail(
          `input has ${raw.input.length} values, ${count} images of ${model.inputSize}^2 need ${count * model.inputSize ** 2}`,
        );
      return { type: 'classify', requestId, model, input: raw.input, count };
    }
    case 'segment':
      return {
        type: 'segment',
        requestId,
        model: checkModel(raw.model, fail),
        volume: checkVolume(raw.volume, fail),
      };
    default:
      return fail('unknown request type');
  }
}

function checkModel(v: unknown, fail: (why: string) => never): ModelSpec {
  if (!isObject(v)) return fail('model missing');
  for (const key of ['id', 'path', 'inputName', 'outputName'] as const) {
    if (typeof v[key] !== 'string' || v[key] === '') fail(`model.${key} must be a non-empty string`);
  }
  for (const key of ['conformSize', 'classCount'] as const) {
    const n = v[key];
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 1)
      fail(`model.${key} must be a positive integer`);
  }
  return v as unknown as ModelSpec;
}

function checkVolume(v: unknown, fail: (why: string) => never): SeriesVolume {
  if (!isObject(v)) return fail('volume missing');
  const dims = v.dims;
  if (!Array.isArray(dims) || dims.length !== 3 || !dims.every((d) => Number.isInteger(d) && d > 0)) {
    return fail('volume.dims must be three positive integers');
  }
  const affine = v.affine;
  if (!Array.isArray(affine) || affine.length !== 16 || !affine.every((x) => Number.isFinite(x))) {
    return fail('volume.affine must be 16 finite numbers');
  }
  if (!(v.data instanceof Float32Array)) return fail('volume.data must be a Float32Array');
  const expected = (dims[0] as number) * (dims[1] as number) * (dims[2] as number);
  if (v.data.length !== expected)
    return fail(`volume.data has ${v.data.length} values, dims need ${expected}`);
  return v as unknown as SeriesVolume;
}

function checkClassifier(v: unknown, fail: (why: string) => never): ClassifierSpec {
  if (!isObject(v)) return fail('model missing');
  for (const key of ['id', 'path', 'inputName', 'logitsName'] as const) {
    if (typeof v[key] !== 'string' || v[key] === '') fail(`model.${key} must be a non-empty string`);
  }
  if (v.camName !== null && typeof v.camName !== 'string') fail('model.camName must be a string or null');
  for (const key of ['inputSize', 'classCount'] as const) {
    const n = v[key];
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 1)
      fail(`model.${key} must be a positive integer`);
  }
  return v as unknown as ClassifierSpec;
}

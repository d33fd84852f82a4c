import { describe, expect, it } from 'vitest';
import { parseRequest, RequestError } from './request-guard';

const model = {
  id: 'm',
  path: '/m.onnx',
  inputName: 'input',
  outputName: 'output',
  conformSize: 8,
  classCount: 3,
};
const volume = {
  dims: [2, 2, 2],
  affine: [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1],
  data: new Float32Array(8),
};

describe('parseRequest', () => {
  it('accepts a ping and a well-formed segment request', () => {
    expect(parseRequest({ type: 'ping', requestId: 3 })).toEqual({ type: 'ping', requestId: 3 });
    expect(parseRequest({ type: 'segment', requestId: 4, model, volume }).type).toBe('segment');
    expect(parseRequest({ type: 'inspect', requestId: 9, path: '/m.onnx' })).toEqual({
      type: 'inspect',
      requestId: 9,
      path: '/m.onnx',
    });
  });

  it('keeps the requestId when the rest is wrong', () => {
    const attempt = (raw: unknown): RequestError => {
      try {
        parseRequest(raw);
      } catch (err) {
        if (err instanceof RequestError) return err;
      }
      throw new Error('expected a RequestError');
    };
    expect(attempt({ type: 'segment', requestId: 5, model, volume: { ...volume, data: [1] } })).toMatchObject(
      {
        requestId: 5,
        message: expect.stringMatching(/Float32Array/),
      },
    );
    expect(
      attempt({ type: 'segment', requestId: 6, model: { ...model, classCount: 0 }, volume }).message,
    ).toMatch(/classCount/);
    expect(
      attempt({ type: 'segment', requestId: 7, model, volume: { ...volume, data: new Float32Array(7) } })
        .message,
    ).toMatch(/dims need 8/);
    expect(attempt({ type: 'explode', requestId: 8 })).toMatchObject({ requestId: 8 });
    expect(attempt({ type: 'inspect', requestId: 10, path: '' })).toMatchObject({
      requestId: 10,
      message: expect.stringMatching(/path/),
    });
    expect(attempt('nonsense').requestId).toBe(-1);
    expect(attempt({ type: 'ping' }).requestId).toBe(-1);
  });
});

/**
 * The JPEG lossless decode alone, in Node: the 128 slices of the chest CT decoded by our decoder
 * (src-shared/codecs) and by jpeg-lossless-decoder-js (the decoder it replaced), in alternating
 * rounds; the figure is each decoder's best round, per slice, in CPU time (this process's user and
 * system time), which other load on the machine sways less than the wall clock.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Decoder as ReferenceDecoder } from '@cornerstonejs/jpeg-lossless-decoder-js';
import { decodeJpegLossless } from '../src-shared/codecs/jpeg-lossless';
import { encapsulatedFrames } from '../src-main/library/encapsulated-frames';
import { parseFile } from '../test-support/dicom-reference';
import { sharedPath } from '../test-support/shared-data';
import { figure } from './report';

const ROUNDS = 3;

function sliceFrames(folder: string): Uint8Array[] {
  return readdirSync(folder)
    .filter((name) => name.endsWith('.dcm'))
    .map((name) => {
      const dataSet = parseFile(join(folder, name));
      const value = dataSet.byteArray.subarray(dataSet.elements['x7fe00010']!.dataOffset);
      return encapsulatedFrames(value, 1)[0]!.slice();
    });
}

function msPerSlice(frames: readonly Uint8Array[], decode: (frame: Uint8Array) => void): number {
  const started = process.cpuUsage();
  for (const frame of frames) decode(frame);
  const { user, system } = process.cpuUsage(started);
  return (user + system) / 1000 / frames.length;
}

export function benchmarkJpegLosslessDecode(group: string, folder: string): void {
  const frames = sliceFrames(sharedPath(folder));
  const ours = (frame: Uint8Array): void => void decodeJpegLossless(frame, 2);
  const reference = (frame: Uint8Array): void =>
    void new ReferenceDecoder().decode(frame.buffer as ArrayBuffer, frame.byteOffset, frame.byteLength, 2);
  let best = Infinity;
  let bestReference = Infinity;
  for (let round = 0; round < ROUNDS; round++) {
    best = Math.min(best, msPerSlice(frames, ours));
    bestReference = Math.min(bestReference, msPerSlice(frames, reference));
  }
  figure(group, 'jpeg_lossless_decode_per_slice', best, 'ms CPU', 2);
  figure(group, 'jpeg_lossless_decode_per_slice_before', bestReference, 'ms CPU', 2);
}

/**
 * Entry of the inference process, for both hosts (Electron utilityProcess, Node child_process.fork).
 * Runs one segmentation at a time; every failure becomes an `error` event, never a silent exit.
 */
import os from 'node:os';
import * as ort from 'onnxruntime-node';
import type { InferenceEvent, InferenceRequest } from '../src-shared/inference-protocol';
import { availableProviders, getSession } from './execution-provider';
import { describeModelIo } from './model-io';
import { classifyImages } from './classify-images';
import { parseRequest, RequestError } from './request-guard';
import { segmentVolume } from './segment-volume';
import { connectToParent } from './transport';
import { inferenceNiceness } from './thread-policy';
import type { Transport } from './transport';

function describe(err: unknown): string {
  if (err instanceof Error) return err.message || err.name;
  return String(err);
}

function start(transport: Transport): void {
  /** Id of the segmentation in progress, so a stray exception can still be reported against it. */
  let activeRequest = -1;
  let queue: Promise<void> = Promise.resolve();

  const send = (event: InferenceEvent): void => {
    try {
      transport.send(event);
    } catch (err) {
      // Nowhere else to report it: stderr reaches the parent's logs.
      console.error(`inference process: cannot send ${event.type}: ${describe(err)}`);
    }
  };

  const fail = (requestId: number, err: unknown): void =>
    send({ type: 'error', requestId, message: describe(err) });

  const runSegment = async (request: Extract<InferenceRequest, { type: 'segment' }>): Promise<void> => {
    const { requestId } = request;
    activeRequest = requestId;
    try {
      const result = await segmentVolume(request.model, request.volume, (stage, fraction) =>
        send({ type: 'progress', requestId, stage, fraction }),
      );
      send({ type: 'segment-result', requestId, result });
    } catch (err) {
      fail(requestId, err);
    } finally {
      activeRequest = -1;
    }
  };

  transport.onMessage((raw) => {
    let request: InferenceRequest;
    try {
      request = parseRequest(raw);
    } catch (err) {
      fail(err instanceof RequestError ? err.requestId : -1, err);
      return;
    }
    if (request.type === 'ping') {
      // Answered at once, not queued, so main can tell "busy" from "hung" between stages.
      send({ type: 'pong', requestId: request.requestId, rssBytes: process.memoryUsage.rss() });
      return;
    }
    if (request.type === 'inspect') {
      const { requestId, path } = request;
      getSession(path).then(
        ({ session }) => send({ type: 'inspect-result', requestId, io: describeModelIo(session) }),
        (err: unknown) => fail(requestId, err),
      );
      return;
    }
    if (request.type === 'classify') {
      const { requestId } = request;
      queue = queue.then(() =>
        classifyImages(request.model, request.input, request.count).then(
          (result) => send({ type: 'classify-result', requestId, result }),
          (err: unknown) => fail(requestId, err),
        ),
      );
      return;
    }
    // Two 256^3 runs at once would double the memory and fight for the cores: run them in turn.
    queue = queue.then(() => runSegment(request));
  });

  process.on('uncaughtException', (err) => fail(activeRequest, err));
  process.on('unhandledRejection', (reason) => fail(activeRequest, reason));

  send({
    type: 'ready',
    pid: process.pid,
    executionProviders: availableProviders(),
    runtimeVersion: ort.env.versions.node ?? ort.env.versions.common,
  });
}

try {
  // Below the app's own processes: on a laptop's few cores the viewer (and a software-rendered
  // WebGL) must win over a long model run, or scrolling stutters while a segmentation runs.
  // Set before onnxruntime starts its threads, which inherit it (thread-policy.ts).
  try {
    os.setPriority(inferenceNiceness());
  } catch (err) {
    console.warn(`inference process: cannot lower its priority: ${describe(err)}`);
  }
  start(connectToParent());
} catch (err) {
  console.error(`inference process cannot start: ${describe(err)}`);
  process.exit(1);
}

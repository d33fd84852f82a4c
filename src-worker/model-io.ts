/** A session's inputs and outputs in the protocol's terms, for checking a model against its manifest. */
import type * as ort from 'onnxruntime-node';
import type { ModelIo, TensorInfo } from '../src-shared/inference-protocol';

function describe(metadata: readonly ort.InferenceSession.ValueMetadata[]): TensorInfo[] {
  return metadata.map((m) =>
    m.isTensor
      ? { name: m.name, type: m.type, shape: [...m.shape] }
      : { name: m.name, type: 'non-tensor', shape: [] },
  );
}

export function describeModelIo(session: ort.InferenceSession): ModelIo {
  return { inputs: describe(session.inputMetadata), outputs: describe(session.outputMetadata) };
}

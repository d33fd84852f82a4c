import type { BackendMethodName, BackendMethods } from '../../src-shared/api';
import { rpcPath, type ErrorReply } from '../../src-shared/http-protocol';

/** Turns an error reply into an Error carrying the server's message. */
export async function failureOf(response: Response): Promise<Error> {
  let message = `${response.status} ${response.statusText}`.trim();
  try {
    const body = (await response.json()) as Partial<ErrorReply>;
    if (typeof body.error === 'string' && body.error) message = body.error;
  } catch {
    // Not JSON (a proxy page, an empty body): the status line is all we have.
  }
  return new Error(message);
}

type ArgsOf<M extends BackendMethodName> = Parameters<BackendMethods[M]>[0];
type ResultOf<M extends BackendMethodName> = Awaited<ReturnType<BackendMethods[M]>>;

/** One RPC call: POST the argument object as JSON, the reply body is the result. */
export async function callRpc<M extends BackendMethodName>(
  method: M,
  args?: ArgsOf<M>,
): Promise<ResultOf<M>> {
  const response = await fetch(rpcPath(method), {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(args ?? {}),
  });
  if (!response.ok) throw await failureOf(response);
  return (await response.json()) as ResultOf<M>;
}

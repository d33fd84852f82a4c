/**
 * vtk.js creates its WebGL contexts without saying whether to antialias, so they get the browser's
 * default: multisampling. A viewport draws images, shaded once per pixel whatever the sample count,
 * where multisampling smooths only the outer edge of the image's quad, yet costs every render a
 * multisampled buffer and its resolve. On software WebGL (SwiftShader, a machine without a usable
 * GPU) that was a third of the GPU process's CPU while scrolling (0.53 against 0.36 of a core).
 * WebGL contexts created after this call that do not ask for antialiasing get none.
 */
export function withoutDefaultAntialiasing(): void {
  const prototype = HTMLCanvasElement.prototype;
  const getContext = prototype.getContext as (
    this: HTMLCanvasElement,
    contextId: string,
    options?: Record<string, unknown>,
  ) => RenderingContext | null;
  const patched = function (this: HTMLCanvasElement, contextId: string, options?: Record<string, unknown>) {
    const webgl = contextId === 'webgl2' || contextId === 'webgl';
    const asked = webgl && options?.antialias === undefined ? { ...options, antialias: false } : options;
    return getContext.call(this, contextId, asked);
  };
  prototype.getContext = patched as typeof prototype.getContext;
}

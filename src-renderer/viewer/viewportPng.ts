/**
 * The viewport as a PNG: the rendered image from its canvas and, on request, the annotation SVG
 * layer drawn over it at the canvas's resolution. Browser APIs only, so both hosts share it.
 */

function loadImage(url: string): Promise<HTMLImageElement> {
  return new Promise((resolve, reject) => {
    const image = new Image();
    image.onload = () => resolve(image);
    image.onerror = () => reject(new Error('the annotation layer could not be drawn'));
    image.src = url;
  });
}

/** What "Save PNG" saves: the viewport's element, and the file's name without its extension. */
export interface PngTarget {
  readonly element: HTMLElement;
  readonly fileName: string;
}

export async function viewportPng(element: HTMLElement, withAnnotations: boolean): Promise<Blob> {
  const canvas = element.querySelector<HTMLCanvasElement>('canvas.cornerstone-canvas');
  if (!canvas || canvas.width === 0) throw new Error('there is no image to save');
  const out = document.createElement('canvas');
  out.width = canvas.width;
  out.height = canvas.height;
  const context = out.getContext('2d');
  if (!context) throw new Error('no 2D canvas to compose the PNG');
  context.drawImage(canvas, 0, 0);
  const svg = withAnnotations ? element.querySelector<SVGSVGElement>('svg.svg-layer') : null;
  if (svg) {
    // The SVG is laid out in CSS pixels: give it an explicit size so it scales onto the canvas.
    const copy = svg.cloneNode(true) as SVGSVGElement;
    copy.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
    copy.setAttribute('width', String(canvas.clientWidth));
    copy.setAttribute('height', String(canvas.clientHeight));
    copy.setAttribute('viewBox', `0 0 ${canvas.clientWidth} ${canvas.clientHeight}`);
    const url = URL.createObjectURL(
      new Blob([new XMLSerializer().serializeToString(copy)], { type: 'image/svg+xml' }),
    );
    try {
      context.drawImage(await loadImage(url), 0, 0, out.width, out.height);
    } finally {
      URL.revokeObjectURL(url);
    }
  }
  return new Promise((resolve, reject) =>
    out.toBlob(
      (blob) => (blob ? resolve(blob) : reject(new Error('the PNG could not be made'))),
      'image/png',
    ),
  );
}

/** Hands a blob to the browser's (or Electron's) download, as a file of this name. */
export function downloadBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const anchor = document.createElement('a');
  anchor.href = url;
  anchor.download = fileName;
  anchor.click();
  // The download has started from the URL by the next task; it can go then.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

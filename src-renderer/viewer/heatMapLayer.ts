import { Enums, utilities } from '@cornerstonejs/core';
import type { StackViewer } from './stackViewer';

/** Blue (low) through green and yellow to red (high), with more opacity where the map is high. */
function heatColor(t: number): [number, number, number, number] {
  const ramp = (x: number): number => Math.round(255 * Math.min(1, Math.max(0, x)));
  return [ramp(2 * t - 0.5), ramp(2 - Math.abs(4 * t - 2)), ramp(1.5 - 2 * t), Math.round(40 + 140 * t)];
}

/**
 * A classification's activation map (a small grid over the image's centre square, which is what
 * the model saw) drawn on a 2D canvas above the viewport, smoothly scaled, and moved with the
 * image on every render (zoom, pan, resize).
 */
export class HeatMapLayer {
  private readonly canvas: HTMLCanvasElement;
  private readonly source: HTMLCanvasElement;
  private readonly redraw = (): void => this.draw();
  private map: { values: readonly number[]; size: readonly [number, number] } | null = null;

  constructor(private readonly viewer: StackViewer) {
    this.canvas = document.createElement('canvas');
    this.canvas.className = 'heat-map';
    this.canvas.dataset.testid = 'heat-map';
    this.source = document.createElement('canvas');
    viewer.element.parentElement?.appendChild(this.canvas);
    viewer.element.addEventListener(Enums.Events.IMAGE_RENDERED, this.redraw);
  }

  show(values: readonly number[], size: readonly [number, number]): void {
    const [columns, rows] = size;
    let low = Infinity;
    let high = -Infinity;
    for (const v of values) {
      low = Math.min(low, v);
      high = Math.max(high, v);
    }
    const span = high > low ? high - low : 1;
    this.source.width = columns;
    this.source.height = rows;
    const context = this.source.getContext('2d')!;
    const pixels = context.createImageData(columns, rows);
    values.forEach((v, n) => pixels.data.set(heatColor((v - low) / span), n * 4));
    context.putImageData(pixels, 0, 0);
    this.map = { values, size };
    this.draw();
  }

  hide(): void {
    this.map = null;
    this.draw();
  }

  destroy(): void {
    this.viewer.element.removeEventListener(Enums.Events.IMAGE_RENDERED, this.redraw);
    this.canvas.remove();
  }

  private draw(): void {
    const { element, viewport } = this.viewer;
    const width = element.clientWidth;
    const height = element.clientHeight;
    this.canvas.width = width;
    this.canvas.height = height;
    const context = this.canvas.getContext('2d')!;
    context.clearRect(0, 0, width, height);
    const imageId = viewport.getCurrentImageId();
    const image = imageId ? viewport.getImageData() : undefined;
    if (!this.map || !imageId || !image) return;
    // The centre square the model was given, in image pixels; three of its corners on the canvas
    // give the whole mapping, so zoom, pan, rotation and flips all carry over to the map.
    const [columns, rows] = image.dimensions;
    const edge = Math.min(columns!, rows!);
    const left = (columns! - edge) / 2;
    const top = (rows! - edge) / 2;
    const corner = (x: number, y: number): readonly [number, number] | null => {
      const world = utilities.imageToWorldCoords(imageId, [x, y]);
      if (!world) return null;
      const [cx = 0, cy = 0] = viewport.worldToCanvas(world);
      return [cx, cy];
    };
    const origin = corner(left, top);
    const alongRow = corner(left + edge, top);
    const alongColumn = corner(left, top + edge);
    if (!origin || !alongRow || !alongColumn) return;
    const [mapColumns, mapRows] = this.map.size;
    context.imageSmoothingEnabled = true;
    // One map cell steps along the image's row and column directions as they now lie on screen.
    context.setTransform(
      (alongRow[0] - origin[0]) / mapColumns,
      (alongRow[1] - origin[1]) / mapColumns,
      (alongColumn[0] - origin[0]) / mapRows,
      (alongColumn[1] - origin[1]) / mapRows,
      origin[0],
      origin[1],
    );
    context.drawImage(this.source, 0, 0);
  }
}

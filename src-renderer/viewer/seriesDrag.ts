/** Dragging a series from the series list into a viewport: a private MIME type carries its library id. */
export const SERIES_DRAG_TYPE = 'application/x-lumen-series-id';

export function setDraggedSeries(dataTransfer: DataTransfer, seriesId: number): void {
  dataTransfer.setData(SERIES_DRAG_TYPE, String(seriesId));
  dataTransfer.effectAllowed = 'copy';
}

/** The dragged series' id; null when the drag carries none (files, text...). */
export function draggedSeriesId(dataTransfer: DataTransfer): number | null {
  const raw = dataTransfer.getData(SERIES_DRAG_TYPE);
  const id = Number(raw);
  return raw !== '' && Number.isSafeInteger(id) && id > 0 ? id : null;
}

import { create } from 'zustand';
import type { ViewerReadout } from '../viewer/stackViewer';

/** What the corner overlay shows; written by the viewer from Cornerstone's events. */
interface ViewerState extends ViewerReadout {
  readonly loading: boolean;
}

export const useViewerStore = create<ViewerState>()(() => ({
  sliceIndex: 0,
  sliceCount: 0,
  windowWidth: null,
  windowCenter: null,
  loading: false,
  decodeError: null,
  orientation: null,
  zoom: null,
  sliceThickness: null,
  slicePosition: null,
  columnSpacing: null,
}));

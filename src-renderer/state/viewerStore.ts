import { create } from 'zustand';

/** What the corner overlay shows; written by the viewer from Cornerstone's events. */
interface ViewerState {
  readonly sliceIndex: number;
  readonly sliceCount: number;
  readonly windowWidth: number | null;
  readonly windowCenter: number | null;
  readonly loading: boolean;
  readonly decodeError: string | null;
}

export const useViewerStore = create<ViewerState>()(() => ({
  sliceIndex: 0,
  sliceCount: 0,
  windowWidth: null,
  windowCenter: null,
  loading: false,
  decodeError: null,
}));

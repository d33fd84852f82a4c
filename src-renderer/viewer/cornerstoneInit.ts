import { cornerstoneStreamingImageVolumeLoader, init as initCore, volumeLoader } from '@cornerstonejs/core';
import { init as initImageLoader } from '@cornerstonejs/dicom-image-loader';
import {
  addTool,
  CrosshairsTool,
  init as initTools,
  PanTool,
  StackScrollTool,
  WindowLevelTool,
  ZoomTool,
} from '@cornerstonejs/tools';
import { registerRestoringWadouriLoader } from './compressedFrames';
import { MEASUREMENT_TOOL_CLASSES } from './measurementTools';
import { registerNiftiSliceLoader } from './niftiSliceLoader';

let ready: Promise<void> | null = null;

/** Cornerstone core, the DICOM loader (wadouri: + decode workers) and tools, initialised once. */
export function initCornerstone(): Promise<void> {
  ready ??= (async () => {
    // preferSizeOverAccuracy stays false: vtk.js then stores 16-bit volumes in exact 16-bit (norm16)
    // textures where WebGL has EXT_texture_norm16, and in 32-bit floats otherwise. Setting it would
    // use half floats instead, which round CT values above 2048 (bone, metal).
    initCore({ rendering: { preferSizeOverAccuracy: false }, debug: {} });
    // Leave a core for the UI thread; decoding is otherwise CPU-bound on small machines.
    const maxWebWorkers = Math.max(1, Math.min(4, navigator.hardwareConcurrency || 2));
    initImageLoader({ maxWebWorkers });
    registerRestoringWadouriLoader();
    // MPR streams a series' slices into one volume over the same wadouri: image IDs.
    // (Its declared options type is narrower than the registry's: every call here passes imageIds.)
    volumeLoader.registerVolumeLoader('cornerstoneStreamingImageVolume', (volumeId, options) =>
      cornerstoneStreamingImageVolumeLoader(volumeId, options as { imageIds: string[] }),
    );
    registerNiftiSliceLoader();
    initTools();
    addTool(CrosshairsTool);
    for (const tool of [StackScrollTool, WindowLevelTool, ZoomTool, PanTool, ...MEASUREMENT_TOOL_CLASSES])
      addTool(tool);
  })();
  return ready;
}

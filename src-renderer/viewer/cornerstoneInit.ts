import { init as initCore } from '@cornerstonejs/core';
import { init as initImageLoader } from '@cornerstonejs/dicom-image-loader';
import {
  addTool,
  init as initTools,
  PanTool,
  StackScrollTool,
  WindowLevelTool,
  ZoomTool,
} from '@cornerstonejs/tools';
import { MEASUREMENT_TOOL_CLASSES } from './measurementTools';
import { registerNiftiSliceLoader } from './niftiSliceLoader';

let ready: Promise<void> | null = null;

/** Cornerstone core, the DICOM loader (wadouri: + decode workers) and tools, initialised once. */
export function initCornerstone(): Promise<void> {
  ready ??= (async () => {
    initCore();
    // Leave a core for the UI thread; decoding is otherwise CPU-bound on small machines.
    const maxWebWorkers = Math.max(1, Math.min(4, (navigator.hardwareConcurrency || 2) - 1));
    initImageLoader({ maxWebWorkers });
    registerNiftiSliceLoader();
    initTools();
    for (const tool of [StackScrollTool, WindowLevelTool, ZoomTool, PanTool, ...MEASUREMENT_TOOL_CLASSES])
      addTool(tool);
  })();
  return ready;
}

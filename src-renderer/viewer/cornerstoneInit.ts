import {
  cornerstoneStreamingImageVolumeLoader,
  init as initCore,
  registerImageLoader,
  volumeLoader,
  type Types,
} from '@cornerstonejs/core';
import { init as initImageLoader, wadouri } from '@cornerstonejs/dicom-image-loader';
import {
  addTool,
  CrosshairsTool,
  init as initTools,
  PanTool,
  StackScrollTool,
  WindowLevelTool,
  ZoomTool,
} from '@cornerstonejs/tools';
import { loadRestoringFrames } from './compressedFrames';
import { afterBatchedFetch, startBatchWorker } from './instanceBatches';
import { withJpeg12Correction } from './jpegExtendedBias';
import { MEASUREMENT_TOOL_CLASSES } from './measurementTools';
import { MprSliceScrollTool } from './mprSliceScrollTool';
import { registerNiftiSliceLoader } from './niftiSliceLoader';
import { withModalityLut } from './lutSequences';
import { withYbr422Conversion } from './ybr422Native';
import { withoutDefaultAntialiasing } from './webglAntialiasing';

let ready: Promise<void> | null = null;

/**
 * A DICOM loader whose native YBR_FULL_422 frames are turned into RGB, whose images have the 12-bit
 * JPEG decoder's level-shift error taken off, then pass through the file's Modality LUT Sequence.
 */
const withPixelCorrections = (load: Types.ImageLoaderFn): Types.ImageLoaderFn =>
  withModalityLut(withJpeg12Correction(withYbr422Conversion(load)));

/** Cornerstone core, the DICOM loaders (wadouri:, dicomfile: + decode workers) and tools, initialised once. */
export function initCornerstone(): Promise<void> {
  ready ??= (async () => {
    withoutDefaultAntialiasing();
    // 16-bit volumes go to exact 16-bit (norm16) textures where WebGL has EXT_texture_norm16, and to
    // 32-bit float textures otherwise: Cornerstone 5.14's volume mappers turn vtk.js's half floats
    // off whatever preferSizeOverAccuracy says (left false: half floats would round CT values beyond
    // +-2048), and have no integer-texture (R16I) path.
    // One WebGL context a rendering engine (Cornerstone's default is a pool of 7). Chromium keeps at
    // most 16 live contexts a page and loses the least recently used beyond that: the stack engine's
    // 7 and the MPR engine's 7 left room for nothing else, and the second MPR opened lost the stack's
    // contexts. Contexts on one GPU draw one after another anyway.
    initCore({ rendering: { preferSizeOverAccuracy: false, webGlContextCount: 1 }, debug: {} });
    // Decode workers on every core but one (at most 4): scrolling keeps a core for the UI thread.
    // One per core built the 128-slice MPR volume faster (3.0 against 3.7 s on 2 cores) but
    // scrolled at 34-37 fps against 36-57 (docs/benchmarks.md); scrolling is read far more often.
    const maxWebWorkers = Math.max(1, Math.min(4, (navigator.hardwareConcurrency || 2) - 1));
    initImageLoader({ maxWebWorkers });
    // wadouri: images wait for a file still arriving in a batch, and are decoded after any frame the
    // MPR released is put back; both DICOM loaders (dicomfile: reads a File handed over directly)
    // then correct the decoded pixels alike.
    registerImageLoader('wadouri', withPixelCorrections(afterBatchedFetch(loadRestoringFrames)));
    startBatchWorker();
    registerImageLoader('dicomfile', withPixelCorrections(wadouri.loadImageFromNaturalizedMetadata));
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
    addTool(MprSliceScrollTool);
  })();
  return ready;
}

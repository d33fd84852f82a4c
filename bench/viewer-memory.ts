/** `npm run bench -- viewer-memory`: only the viewer's 1,000-slice MPR figures (bench/viewer-mpr.ts). */
import { hasSharedData } from '../test-support/shared-data';
import { benchmarkLongMpr } from './viewer-mpr';

if (!hasSharedData) console.log('viewer: skipped, the shared DICOM data is absent');
else
  benchmarkLongMpr().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });

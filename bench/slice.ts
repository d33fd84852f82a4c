/**
 * The first slice, measured: import of the T1 MPRAGE, time from opening it to the first rendered
 * image in Chromium, and the analysis split into its stages with the inference process's peak memory.
 */
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hasSharedData, sharedPath, T1_SERIES } from '../test-support/shared-data';
import { openFirstSeries, withHostPage } from '../test-support/browser-session';
import { openWorkstation } from '../test-support/workstation';
import { figure } from './report';

const GROUP = 'slice';

async function main(): Promise<void> {
  if (!hasSharedData) {
    console.log(`${GROUP}: skipped, the shared DICOM data is absent`);
    return;
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'lumen-bench-slice-'));
  const workstation = openWorkstation(dataDir);
  const files = readdirSync(sharedPath(T1_SERIES)).length;
  const report = await workstation.importPaths({ paths: [sharedPath(T1_SERIES)] });
  figure(GROUP, 'import_time', report.elapsedMs, 'ms');
  figure(GROUP, 'import_rate', (files / report.elapsedMs) * 1000, 'files/s', 0);

  const [study] = await workstation.listStudies();
  const [series] = await workstation.listSeries({ studyInstanceUid: study!.studyInstanceUid });
  await workstation.startAnalysis({ seriesId: series!.seriesId, modelId: 'meshnet-gwm' });
  await workstation.analysis.idle();
  const [result] = await workstation.listResults({ seriesId: series!.seriesId });
  if (!result) throw new Error('the analysis produced no result');
  const t = result.timings;
  figure(GROUP, 'volume_build', t.volumeBuildMs, 'ms');
  figure(GROUP, 'conform', t.conformMs, 'ms');
  figure(GROUP, 'model_run', t.modelRunMs, 'ms');
  figure(GROUP, 'postprocess', t.postprocessMs, 'ms');
  figure(GROUP, 'analysis_total', t.totalMs, 'ms');
  figure(GROUP, 'inference_peak_rss', workstation.analysis.lastPeakRssBytes / 2 ** 20, 'MiB', 0);
  workstation.close();

  // First image: from the click on the series to the slice indicator of a rendered image, in Chromium.
  await withHostPage(dataDir, async (page) => {
    figure(GROUP, 'open_to_first_image', await openFirstSeries(page, /\/176$/), 'ms', 0);
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

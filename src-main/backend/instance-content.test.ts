/**
 * What the viewer is served for each instance: most files byte for byte from their path; deflated
 * files inflated; compressed multi-frame files without a Basic Offset Table with one filled in.
 * Real files imported into a real library.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as dicomParser from 'dicom-parser';
import { afterEach, describe, expect, it } from 'vitest';
import { Workstation } from './workstation';
import { forkInferenceProcess } from '../inference/fork-channel';
import { compiledWorker, hasSharedData, repoRoot, sharedPath } from '../../test-support/shared-data';

const TS = 'dicom/transfer_syntax';
const CT0012 = `${TS}/enhanced_ct_CT0012_2frames`;

describe.skipIf(!hasSharedData)('instance content served to the viewer', () => {
  let workstation: Workstation | undefined;
  afterEach(() => workstation?.close());

  /** A library holding these files (all of distinct SOP Instance UIDs); their content by file. */
  async function servedContent(files: readonly string[]) {
    // The inference process is never started here: nothing is analysed.
    workstation = new Workstation({
      dataDir: mkdtempSync(join(tmpdir(), 'lumen-content-')),
      modelsDir: join(repoRoot, 'models'),
      inferenceEntry: compiledWorker,
      startInferenceProcess: forkInferenceProcess,
    });
    const report = await workstation.importPaths({ paths: files.map((file) => sharedPath(file)) });
    expect(report.indexed).toBe(files.length);
    const byPath = new Map<string, Awaited<ReturnType<Workstation['instanceContent']>>>();
    for (const study of await workstation.listStudies()) {
      for (const series of await workstation.listSeries(study)) {
        for (const instance of await workstation.listInstances(series)) {
          const content = await workstation.instanceContent(instance.instanceId);
          const path = workstation.library.instanceFile(instance.instanceId)!.path;
          byPath.set(path, content);
        }
      }
    }
    return (file: string) => byPath.get(sharedPath(file));
  }

  it('a two-frame JPEG-LS CT split over fragments gets an offset table; others are served as they are', async () => {
    const noTable = `${CT0012}/CT0012.fragmented_no_bot_jpeg_ls.80.dcm`;
    const singleFrame = `${TS}/nema_ct1/CT1_UNC.fragmented_bot_jpeg_ls.80.dcm`;
    const deflated = `${TS}/deflate/image_dfl.dcm`;
    const content = await servedContent([noTable, singleFrame, deflated]);

    const served = content(noTable);
    if (!served || !('bytes' in served))
      throw new Error(`${noTable} was not rewritten: ${JSON.stringify(served)}`);
    const original = readFileSync(sharedPath(noTable));
    const before = dicomParser.parseDicom(original).elements['x7fe00010']!;
    const after = dicomParser.parseDicom(served.bytes).elements['x7fe00010']!;
    expect(before.basicOffsetTable).toEqual([]);
    // Frame 2's first fragment is the seventh item after the table (the file's layout).
    expect(after.basicOffsetTable).toEqual([0, before.fragments![6]!.offset]);
    expect(served.bytes.length).toBe(original.length + 8);
    expect(after.fragments!.map((f) => f.length)).toEqual(before.fragments!.map((f) => f.length));

    expect(content(singleFrame)).toEqual({ path: sharedPath(singleFrame) });
    const inflated = content(deflated);
    expect(
      inflated && 'bytes' in inflated && dicomParser.parseDicom(inflated.bytes).string('x00020010'),
    ).toBe('1.2.840.10008.1.2.1');
  });

  it('the RLE copy of the same CT, with a table and one fragment per frame, is served from its path', async () => {
    const rle = `${CT0012}/CT0012.not_fragmented_bot_rle.dcm`;
    const content = await servedContent([rle]);
    expect(content(rle)).toEqual({ path: sharedPath(rle) });
  });
});

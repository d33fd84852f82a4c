/**
 * A 3D segmentation of a legacy multi-frame MR through the real job system and model: the T1
 * MPRAGE's own slices written as the frames of one MR Image Storage file without functional groups,
 * top slice first, placed by a Grid Frame Offset Vector. It is eligible, and its labelmap is the
 * single-frame T1's result, slice for slice in the frames' order; its deflated copy decodes to the
 * same pixels (so the cache answers it with the same labels); a copy whose Frame Increment Pointer
 * says the frames are cine times is refused before any job, saying so.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { deflatedCopy, writeLegacyMultiframe } from '../../test-support/legacy-multiframe-writer';
import { hasSharedData } from '../../test-support/shared-data';
import { slicesDifferingReversed } from '../../test-support/reversed-slices';
import { importT1, meshnetInstalled, openWorkstation } from '../../test-support/workstation';

describe.skipIf(!hasSharedData || !meshnetInstalled)('a legacy multi-frame MR analysed as a volume', () => {
  it('is eligible and segmented like its single-frame slices; deflated, the same; as cine, refused', async () => {
    const workstation = openWorkstation(mkdtempSync(join(tmpdir(), 'lumen-legacy-analysis-')));
    try {
      const { studyInstanceUid, t1, slicePaths } = await importT1(workstation);
      const dir = mkdtempSync(join(tmpdir(), 'lumen-legacy-mr-'));
      const legacy = join(dir, 'legacy.dcm');
      writeLegacyMultiframe([...slicePaths].reverse(), legacy, '1.2.826.0.1.3680043.10.1392.81', {
        modality: 'MR',
        layout: 'grid',
      });
      const deflated = join(dir, 'deflated.dcm');
      // Its own UIDs, so that it is a series of its own.
      const copy = join(dir, 'copy.dcm');
      writeLegacyMultiframe([...slicePaths].reverse(), copy, '1.2.826.0.1.3680043.10.1392.82', {
        modality: 'MR',
        layout: 'grid',
      });
      writeFileSync(deflated, deflatedCopy(readFileSync(copy)));
      const cine = join(dir, 'cine.dcm');
      writeLegacyMultiframe(slicePaths.slice(0, 80), cine, '1.2.826.0.1.3680043.10.1392.83', {
        modality: 'MR',
        layout: 'spacing',
        cine: true,
      });
      await workstation.importPaths({ paths: [legacy, deflated, cine] });
      const bySeriesUid = new Map(
        (await workstation.listSeries({ studyInstanceUid: studyInstanceUid })).map((s) => [
          s.seriesInstanceUid,
          s,
        ]),
      );
      const legacySeries = bySeriesUid.get('1.2.826.0.1.3680043.10.1392.81.2')!;
      const deflatedSeries = bySeriesUid.get('1.2.826.0.1.3680043.10.1392.82.2')!;
      const cineSeries = bySeriesUid.get('1.2.826.0.1.3680043.10.1392.83.2')!;
      const verdict = async (seriesId: number) =>
        (await workstation.seriesEligibility({ seriesId })).find((e) => e.modelId === 'meshnet-gwm');
      expect(await verdict(legacySeries.seriesId)).toEqual({
        modelId: 'meshnet-gwm',
        eligible: true,
        reason: null,
      });
      expect(await verdict(deflatedSeries.seriesId)).toEqual({
        modelId: 'meshnet-gwm',
        eligible: true,
        reason: null,
      });
      const cineReason =
        'MeshNet brain tissue (grey/white matter) cannot read this series as a volume: the frames are times of a cine run (Frame Time), not slices of a volume';
      expect(await verdict(cineSeries.seriesId)).toMatchObject({ eligible: false, reason: cineReason });
      await expect(
        workstation.startAnalysis({ seriesId: cineSeries.seriesId, modelId: 'meshnet-gwm' }),
      ).rejects.toThrow(cineReason);

      await workstation.startAnalysis({ seriesId: t1.seriesId, modelId: 'meshnet-gwm' });
      await workstation.startAnalysis({ seriesId: legacySeries.seriesId, modelId: 'meshnet-gwm' });
      await workstation.analysis.idle();
      await workstation.startAnalysis({ seriesId: deflatedSeries.seriesId, modelId: 'meshnet-gwm' });
      await workstation.analysis.idle();
      const [fromSlices] = await workstation.listResults({ seriesId: t1.seriesId });
      const [fromFrames] = await workstation.listResults({ seriesId: legacySeries.seriesId });
      const [fromDeflated] = await workstation.listResults({ seriesId: deflatedSeries.seriesId });
      expect([fromFrames!.columns, fromFrames!.rows, fromFrames!.slices]).toEqual([256, 256, 176]);
      expect(fromFrames!.resultId).not.toBe(fromSlices!.resultId);
      // The same voxels per label; mL equal up to the rounding of the frames' computed positions.
      const volumes = (result: typeof fromSlices) =>
        result!.volumes.map(({ value, name, voxels, millilitres }) => ({
          value,
          name,
          voxels,
          millilitres: Number(millilitres.toFixed(6)),
        }));
      expect(volumes(fromFrames)).toEqual(volumes(fromSlices));
      expect(fromDeflated!.volumes).toEqual(fromFrames!.volumes);
      const [deflatedJob] = await workstation
        .listJobs({ states: ['completed'] })
        .then((jobs) => jobs.filter((job) => job.seriesId === deflatedSeries.seriesId));
      expect(deflatedJob).toMatchObject({ cached: true });
      const slices = workstation.labelmap(fromSlices!.resultId)!;
      const frames = workstation.labelmap(fromFrames!.resultId)!;
      expect(Buffer.compare(workstation.labelmap(fromDeflated!.resultId)!, frames)).toBe(0);
      // Frame f (display slice f) is T1 slice 175 - f.
      expect(frames).toHaveLength(slices.length);
      expect(slicesDifferingReversed(frames, slices, 256 * 256)).toBe(0);
      expect(slices.some((label) => label > 0)).toBe(true);
    } finally {
      workstation.close();
    }
    // Two MeshNet runs on 256x256x176 take minutes on a loaded 2-core machine.
  }, 480_000);
});

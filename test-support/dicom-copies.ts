/**
 * Writes many copies of real DICOM slices with new UIDs (for benchmarks and large-import tests):
 * series after series of the source slices, every instance, series and study UID changed in place.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import dicomParser from 'dicom-parser';

const UID_TAGS = ['x00080018', 'x0020000e', 'x0020000d'] as const;
/** Series per study in the copies. */
const SERIES_PER_STUDY = 10;

interface Slice {
  readonly bytes: Buffer;
  /** Offset and unpadded length of each UID value, in UID_TAGS order. */
  readonly uids: ReadonlyArray<readonly [number, number]>;
}

function loadSlice(path: string): Slice {
  const bytes = readFileSync(path);
  const ds = dicomParser.parseDicom(bytes, { untilTag: 'x7fe00010' });
  const uids = UID_TAGS.map((tag) => {
    const element = ds.elements[tag]!;
    const value = bytes.toString('latin1', element.dataOffset, element.dataOffset + element.length);
    return [element.dataOffset, value.replace(/\0+$/, '').length] as const;
  });
  return { bytes, uids };
}

/**
 * Writes `count` files into `destDir/series-<n>/`, each series a full copy of the slices in
 * `sourceDir`. `salt` (one digit) keeps the UIDs of different runs apart.
 */
export function writeRenamedCopies(sourceDir: string, destDir: string, count: number, salt = 9): void {
  const slices = readdirSync(sourceDir)
    .sort()
    .map((name) => loadSlice(join(sourceDir, name)));
  for (let n = 0; n < count; n++) {
    const series = Math.floor(n / slices.length);
    const slice = slices[n % slices.length]!;
    const copy = Buffer.from(slice.bytes);
    // The UIDs' last 7 digits replaced in place (same length); a non-zero salt keeps them valid.
    const serials = [n, series, Math.floor(series / SERIES_PER_STUDY)].map(
      (k) => `${salt}${String(k).padStart(6, '0')}`,
    );
    slice.uids.forEach(([offset, length], k) => copy.write(serials[k]!, offset + length - 7, 'latin1'));
    const folder = join(destDir, `series-${series}`);
    if (n % slices.length === 0) mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, `${n}.dcm`), copy);
  }
}

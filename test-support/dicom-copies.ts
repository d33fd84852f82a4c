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

/** A text element's value offset and length (the space it can be rewritten in). */
function elementSpan(bytes: Buffer, tag: string): readonly [number, number] {
  const ds = dicomParser.parseDicom(bytes, { untilTag: 'x7fe00010' });
  const element = ds.elements[tag];
  if (!element) throw new Error(`the slice has no ${tag}`);
  return [element.dataOffset, element.length];
}

/**
 * Writes one long series into `destDir`: `count` copies of the slices in `sourceDir` (cycled),
 * each with a new SOP Instance UID and an Image Position (Patient) `spacing` mm further along z,
 * so the copies stack into one regular volume (for memory benchmarks of large series).
 */
export function writeLongSeries(sourceDir: string, destDir: string, count: number, spacing: number): void {
  const slices = readdirSync(sourceDir)
    .sort()
    .map((name) => loadSlice(join(sourceDir, name)));
  mkdirSync(destDir, { recursive: true });
  for (let n = 0; n < count; n++) {
    const slice = slices[n % slices.length]!;
    const copy = Buffer.from(slice.bytes);
    const [offset, length] = slice.uids[0]!;
    copy.write(`8${String(n).padStart(6, '0')}`, offset + length - 7, 'latin1');
    // Image Position (Patient): x and y kept, z rewritten; DS values may be padded with spaces.
    const [positionOffset, positionLength] = elementSpan(copy, 'x00200032');
    const [x, y] = copy.toString('latin1', positionOffset, positionOffset + positionLength).split('\\');
    const position = `${x}\\${y}\\${(-n * spacing).toFixed(2)}`;
    if (position.length > positionLength) throw new Error(`no room for the position ${position}`);
    copy.write(position.padEnd(positionLength, ' '), positionOffset, 'latin1');
    writeFileSync(join(destDir, `${n}.dcm`), copy);
  }
}

/**
 * What IJG libjpeg (DCMTK 3.6.7's dcmdjpeg, 12-bit build) decodes from the JPEG extended 12-bit
 * files of the shared corpus (paths under dicom/transfer_syntax), run once on each file
 * (`dcmdjpeg in.dcm out.dcm`) and summarised here: the reference both the analysis and the viewer
 * are held to.
 */

/** Mean, smallest and largest of a set of values. */
export function valueStats(values: ArrayLike<number>): { mean: number; min: number; max: number } {
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let v = 0; v < values.length; v++) {
    sum += values[v]!;
    min = Math.min(min, values[v]!);
    max = Math.max(max, values[v]!);
  }
  return { mean: sum / values.length, min, max };
}

/** IJG's decode of each file (dcmdjpeg): mean, extremes, and samples at the quarter points [column, row, value]. */
export const IJG_REFERENCE = [
  {
    file: 'nema_mr1_jpeg_extended_12bit.dcm',
    mean: 481.499,
    min: 0,
    max: 3970,
    samples: [
      [128, 128, 701],
      [256, 128, 248],
      [384, 128, 425],
      [128, 256, 208],
      [256, 256, 555],
      [384, 256, 408],
      [128, 384, 1225],
      [256, 384, 519],
      [384, 384, 1361],
    ],
  },
  {
    file: 'pydicom_small/JPGExtended.dcm',
    mean: 14.37,
    min: 0,
    max: 264,
    samples: [
      [64, 256, 23],
      [128, 256, 68],
      [192, 256, 40],
      [64, 512, 14],
      [128, 512, 14],
      [192, 512, 23],
      [64, 768, 1],
      [128, 768, 1],
      [192, 768, 1],
    ],
  },
] as const;

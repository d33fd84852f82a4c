/** DICOM PN `Family^Given^Middle^Prefix^Suffix` as "Family, Given Middle", with the ideographic form after it. */
export function formatPersonName(pn: string): string {
  const [alphabetic = '', ideographic = '', phonetic = ''] = pn.split('=');
  const latin = formatGroup(alphabetic, ', ');
  // Ideographic and phonetic groups (Japanese, Korean, Chinese names) read family name first, no comma.
  const native = formatGroup(ideographic, ' ') || formatGroup(phonetic, ' ');
  if (latin && native) return `${latin} (${native})`;
  return latin || native || 'Anonymous';
}

function formatGroup(group: string, familySeparator: string): string {
  const [family = '', given = '', middle = '', prefix = '', suffix = ''] = group
    .split('^')
    .map((part) => part.trim());
  const first = [prefix, given, middle].filter(Boolean).join(' ');
  const name = [family, first].filter(Boolean).join(familySeparator);
  return suffix ? `${name} ${suffix}` : name;
}

/** DICOM DA `YYYYMMDD` as `YYYY-MM-DD`; anything else is shown as given. */
export function formatDicomDate(da: string): string {
  const match = /^(\d{4})(\d{2})(\d{2})$/.exec(da.trim());
  return match ? `${match[1]}-${match[2]}-${match[3]}` : da.trim();
}

/** A hash short enough for a panel, long enough to compare by eye. */
export function shortenHash(hash: string): string {
  return hash.length > 16 ? `${hash.slice(0, 12)}…` : hash;
}

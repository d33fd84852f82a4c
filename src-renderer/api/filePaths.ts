/**
 * Relative paths of files found by walking a dropped folder. A File made from a
 * FileSystemFileEntry has no webkitRelativePath, so the walker records it here.
 */
const relativePaths = new WeakMap<File, string>();

export function rememberRelativePath(file: File, path: string): void {
  relativePaths.set(file, path);
}

/** The path as the user gave it: dropped-folder path, picked-folder path, or the bare name. */
export function relativePathOf(file: File): string {
  return relativePaths.get(file) ?? (file.webkitRelativePath || file.name);
}

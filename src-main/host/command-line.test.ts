/** The command line shared by browser mode and Electron: which arguments are paths to import. */
import { describe, expect, it } from 'vitest';
import { electronUserArgs, pathsToImport } from './command-line';

describe('pathsToImport', () => {
  it('takes positionals as paths, absolute against the working folder, and skips option values', () => {
    expect(
      pathsToImport(
        ['--data-dir', '/data', 'study', '--port=0', '/media/cd/DICOMDIR', '--browser'],
        '/home/u',
      ),
    ).toEqual(['/home/u/study', '/media/cd/DICOMDIR']);
  });

  it('ignores switches Chromium or macOS add, and reads everything after -- as a path', () => {
    expect(
      pathsToImport(
        [
          '--allow-file-access-from-files',
          '--original-process-start-time=1234',
          'a.zip',
          '--',
          '--odd-name.dcm',
        ],
        '/w',
      ),
    ).toEqual(['/w/a.zip', '/w/--odd-name.dcm']);
    expect(pathsToImport(['-psn_0_12345'], '/w')).toEqual([]);
  });

  it('gives no paths for no arguments', () => {
    expect(pathsToImport([], '/w')).toEqual([]);
  });
});

describe('electronUserArgs', () => {
  it('drops the program, and the app folder when unpackaged', () => {
    expect(electronUserArgs(['/opt/electron', '/src/app', 'x.dcm'], false)).toEqual(['x.dcm']);
    expect(electronUserArgs(['/opt/Lumen', 'x.dcm'], true)).toEqual(['x.dcm']);
  });
});

import { describe, expect, it } from 'vitest';
import { formatPersonName } from './format';

describe('person names', () => {
  it('reads family, given and the ideographic form', () => {
    expect(formatPersonName('Doe^John^^Dr')).toBe('Doe, Dr John');
    expect(formatPersonName('Hong^Gildong=洪^吉洞=홍^길동')).toBe('Hong, Gildong (洪 吉洞)');
    expect(formatPersonName('=山田^太郎=やまだ^たろう')).toBe('山田 太郎');
    expect(formatPersonName('Wang^XiaoDong=王^小东=')).toBe('Wang, XiaoDong (王 小东)');
    expect(formatPersonName('')).toBe('Anonymous');
  });
});

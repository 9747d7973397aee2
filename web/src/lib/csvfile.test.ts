import { describe, expect, it } from 'vitest';
import { decodeKeywordFile } from './csvfile';

function utf16le(text: string, bom = true): Uint8Array {
  const out = new Uint8Array((bom ? 2 : 0) + text.length * 2);
  if (bom) out.set([0xff, 0xfe]);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    out[(bom ? 2 : 0) + 2 * i] = c & 0xff;
    out[(bom ? 2 : 0) + 2 * i + 1] = c >> 8;
  }
  return out;
}

describe('decodeKeywordFile', () => {
  it('reads UTF-16 exports with or without a BOM, and UTF-8', () => {
    const text = 'Keyword\tAvg. monthly searches\nespresso\t1K – 10K\n';
    expect(decodeKeywordFile(utf16le(text))).toBe(text);
    expect(decodeKeywordFile(utf16le(text, false))).toBe(text);
    expect(decodeKeywordFile(new TextEncoder().encode('\ufeffkeyword\ncafé\n'))).toBe('keyword\ncafé\n');
  });
});

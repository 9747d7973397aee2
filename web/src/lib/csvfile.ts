/**
 * Reads an uploaded keyword file as text. Keyword tools write UTF-8 or, like
 * Google Keyword Planner and Ahrefs' Excel export, UTF-16 (with a BOM, or
 * without one: ASCII text then has every other byte zero). The server finds
 * the delimiter and the columns.
 */
export function decodeKeywordFile(bytes: Uint8Array): string {
  const [a, b, c, d] = bytes;
  let encoding = 'utf-8';
  if (a === 0xff && b === 0xfe) encoding = 'utf-16le';
  else if (a === 0xfe && b === 0xff) encoding = 'utf-16be';
  else if (bytes.length >= 4 && a !== 0 && b === 0 && c !== 0 && d === 0) encoding = 'utf-16le';
  else if (bytes.length >= 4 && a === 0 && b !== 0 && c === 0 && d !== 0) encoding = 'utf-16be';
  // the decoder drops the BOM
  return new TextDecoder(encoding).decode(bytes);
}

export async function readKeywordFile(file: Blob): Promise<string> {
  return decodeKeywordFile(new Uint8Array(await file.arrayBuffer()));
}

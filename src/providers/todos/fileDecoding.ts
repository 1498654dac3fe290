import { isUtf8 } from 'node:buffer';

/**
 * Turning file bytes into text for the TODO index without trusting them:
 * - a NUL byte in the first 8 KiB means binary (git's own test), unless a UTF-16 byte-order mark says otherwise;
 * - UTF-8 (with or without BOM) is decoded as such;
 * - UTF-16 LE/BE with a BOM is decoded as UTF-16;
 * - anything else (Windows-1252, ISO-8859-x, broken UTF-8) is decoded as latin1: every byte maps to
 *   one character, so nothing throws, ASCII tags and references are found, and columns stay right
 *   for the ASCII part of each line. The editor re-parses open documents in their real encoding.
 */
export type DecodedFile =
  | { readonly kind: 'text'; readonly text: string; readonly encoding: 'utf8' | 'utf16le' | 'utf16be' | 'latin1' }
  | { readonly kind: 'binary' };

const SNIFF_BYTES = 8000;

export function utf16Bom(bytes: Uint8Array): 'utf16le' | 'utf16be' | undefined {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf16le';
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf16be';
  return undefined;
}

export function looksBinary(bytes: Buffer): boolean {
  if (utf16Bom(bytes) !== undefined) return false;
  const nul = bytes.indexOf(0);
  return nul >= 0 && nul < SNIFF_BYTES;
}

export function decodeFile(bytes: Buffer): DecodedFile {
  const bom16 = utf16Bom(bytes);
  if (bom16 === 'utf16le') return { kind: 'text', text: bytes.subarray(2).toString('utf16le'), encoding: 'utf16le' };
  if (bom16 === 'utf16be') {
    const swapped = Buffer.from(bytes.subarray(2, 2 + ((bytes.length - 2) & ~1)));
    swapped.swap16();
    return { kind: 'text', text: swapped.toString('utf16le'), encoding: 'utf16be' };
  }
  if (looksBinary(bytes)) return { kind: 'binary' };
  if (isUtf8(bytes)) {
    const start = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
    return { kind: 'text', text: bytes.toString('utf8', start), encoding: 'utf8' };
  }
  return { kind: 'text', text: bytes.toString('latin1'), encoding: 'latin1' };
}

/**
 * The cheap test run before any decoding or parsing: does any tag occur in the raw bytes? Tags are
 * searched as bytes (UTF-8 and latin1 agree on ASCII tags); UTF-16 files are searched as UTF-16.
 */
export function mayContainTags(bytes: Buffer, tags: readonly Buffer[], tags16: readonly Buffer[]): boolean {
  const bom16 = utf16Bom(bytes);
  if (bom16 === 'utf16le') return tags16.some((t) => bytes.indexOf(t) >= 0);
  if (bom16 === 'utf16be') return true;
  for (const tag of tags) if (bytes.indexOf(tag) >= 0) return true;
  return false;
}

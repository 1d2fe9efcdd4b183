/**
 * Arrays of JSON documents as binary bind parameters (PostgreSQL's array_send layout). The server
 * copies each element as it comes and validates it once as it converts it (`json_recv`,
 * `jsonb_recv`); sent as text, the same payload is parsed twice over: once as the array or JSON
 * document that carries it, once more to split it into rows. node-postgres sends a Buffer
 * parameter in binary format.
 */

const JSON_OID = 114;
const JSONB_OID = 3802;
/** jsonb's binary input starts with a format version; 1 is the only one. */
const JSONB_VERSION = 1;
const HEADER_BYTES = 20;

/** A `json[]` parameter: `$n::json[]`. */
export function jsonArrayParam(documents: readonly string[]): Buffer {
  return binaryArray(documents, JSON_OID, 0);
}

/** A `jsonb[]` parameter: `$n::jsonb[]`. */
export function jsonbArrayParam(documents: readonly string[]): Buffer {
  return binaryArray(documents, JSONB_OID, 1);
}

function binaryArray(documents: readonly string[], elementOid: number, prefixBytes: number): Buffer {
  const lengths = documents.map((document) => Buffer.byteLength(document, 'utf8'));
  const size = lengths.reduce((total, length) => total + 4 + prefixBytes + length, HEADER_BYTES);
  const buffer = Buffer.allocUnsafe(size);
  buffer.writeInt32BE(1, 0); // dimensions
  buffer.writeInt32BE(0, 4); // no NULL elements
  buffer.writeInt32BE(elementOid, 8);
  buffer.writeInt32BE(documents.length, 12);
  buffer.writeInt32BE(1, 16); // lower bound
  let offset = HEADER_BYTES;
  documents.forEach((document, i) => {
    buffer.writeInt32BE(prefixBytes + lengths[i]!, offset);
    offset += 4;
    if (prefixBytes) buffer[offset++] = JSONB_VERSION;
    offset += buffer.write(document, offset, 'utf8');
  });
  return buffer;
}

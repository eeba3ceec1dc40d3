// The little of HPACK (RFC 7541) a gRPC unary client needs: request header blocks written as
// literals that never touch the server's dynamic table, and answers read with no dynamic table of
// our own (the client announces SETTINGS_HEADER_TABLE_SIZE 0, so a server may only use the static
// table and literals). Of an answer only `:status`, `grpc-status` and `grpc-message` are kept;
// every other field is skipped without decoding.

export class HpackError extends Error {
  readonly code = 'HPACK';
}

// Bit length of each symbol's code (0–255, then EOS), RFC 7541 Appendix B. The code is canonical
// (codes of one length are consecutive, in symbol order), so the lengths define it.
const CODE_LENGTHS = [
  13, 23, 28, 28, 28, 28, 28, 28, 28, 24, 30, 28, 28, 30, 28, 28, 28, 28, 28, 28, 28, 28, 30, 28,
  28, 28, 28, 28, 28, 28, 28, 28, 6, 10, 10, 12, 13, 6, 8, 11, 10, 10, 8, 11, 8, 6, 6, 6, 5, 5, 5,
  6, 6, 6, 6, 6, 6, 6, 7, 8, 15, 6, 12, 10, 13, 6, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7,
  7, 7, 7, 7, 7, 7, 8, 7, 8, 13, 19, 13, 14, 6, 15, 5, 6, 5, 6, 5, 6, 6, 6, 5, 7, 7, 6, 6, 6, 5, 6,
  7, 6, 5, 5, 6, 7, 7, 7, 7, 7, 15, 11, 14, 13, 28, 20, 22, 20, 20, 22, 22, 22, 23, 22, 23, 23, 23,
  23, 23, 24, 23, 24, 24, 22, 23, 24, 23, 23, 23, 23, 21, 22, 23, 22, 23, 23, 24, 22, 21, 20, 22,
  22, 23, 23, 21, 23, 22, 22, 24, 21, 22, 23, 23, 21, 21, 22, 21, 23, 22, 23, 23, 20, 22, 22, 22,
  23, 22, 22, 23, 26, 26, 20, 19, 22, 23, 22, 25, 26, 26, 26, 27, 27, 26, 24, 25, 19, 21, 26, 27,
  27, 26, 27, 24, 21, 21, 26, 26, 28, 27, 27, 27, 20, 24, 20, 21, 22, 21, 21, 23, 22, 22, 25, 25,
  24, 24, 26, 23, 26, 27, 26, 26, 27, 27, 27, 27, 27, 28, 27, 27, 27, 27, 27, 26, 30,
];
const EOS = 256;

/** Per code length: the first code of that length and the symbols having it, in order. */
interface CodeTable {
  first: number[];
  symbols: number[][];
}

function codeTable(): CodeTable {
  const first: number[] = [];
  const symbols: number[][] = [];
  let code = 0;
  for (let length = 1; length <= 30; length++) {
    const of = CODE_LENGTHS.flatMap((l, symbol) => (l === length ? [symbol] : []));
    first[length] = code;
    symbols[length] = of;
    code = (code + of.length) * 2;
  }
  return { first, symbols };
}

const TABLE = codeTable();

/** Decodes a Huffman-coded string (latin1). */
export function huffmanDecode(bytes: Buffer, start: number, end: number): string {
  let out = '';
  let code = 0;
  let length = 0;
  for (let i = start; i < end; i++) {
    for (let bit = 7; bit >= 0; bit--) {
      code = code * 2 + ((bytes[i]! >> bit) & 1);
      length++;
      const index = code - TABLE.first[length]!;
      const symbols = TABLE.symbols[length]!;
      if (index >= 0 && index < symbols.length) {
        const symbol = symbols[index]!;
        if (symbol === EOS) throw new HpackError('EOS inside a Huffman string');
        out += String.fromCharCode(symbol);
        code = 0;
        length = 0;
      } else if (length >= 30) throw new HpackError('bad Huffman code');
    }
  }
  // Padding: at most 7 bits, all ones (the start of EOS).
  if (length > 7 || code !== 2 ** length - 1) throw new HpackError('bad Huffman padding');
  return out;
}

/** A block's reader: the offset advances as fields are read. */
class Reader {
  constructor(
    readonly bytes: Buffer,
    public at: number,
    readonly end: number,
  ) {}

  integer(prefixBits: number): number {
    if (this.at >= this.end) throw new HpackError('header block ends inside a field');
    const max = 2 ** prefixBits - 1;
    let value = this.bytes[this.at++]! & max;
    if (value < max) return value;
    for (let shift = 0; ; shift += 7) {
      if (this.at >= this.end || shift > 28) throw new HpackError('bad integer');
      const b = this.bytes[this.at++]!;
      value += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) return value;
    }
  }

  /** A string literal: decoded, or skipped (undefined) when `keep` is false. */
  string(keep: boolean): string | undefined {
    const huffman = (this.bytes[this.at]! & 0x80) !== 0;
    const length = this.integer(7);
    const start = this.at;
    this.at += length;
    if (this.at > this.end) throw new HpackError('string runs past the header block');
    if (!keep) return undefined;
    return huffman
      ? huffmanDecode(this.bytes, start, this.at)
      : this.bytes.toString('latin1', start, this.at);
  }
}

/** What a gRPC client reads of an answer's header block. */
export interface GrpcFields {
  status?: number;
  grpcStatus?: string;
  grpcMessage?: string;
}

// Static table entries 8–14 are `:status` with these values; no other static entry matters here.
const STATUS_OF_INDEX = [200, 204, 206, 304, 400, 404, 500];
const isStatusIndex = (index: number) => index >= 8 && index <= 14;

function checkIndex(index: number): void {
  if (index === 0 || index > 61) throw new HpackError(`index ${index} outside the static table`);
}

/** Reads a header block into `into` (a HEADERS block and its CONTINUATIONs, joined). */
export function decodeHeaderBlock(bytes: Buffer, start: number, end: number, into: GrpcFields) {
  const r = new Reader(bytes, start, end);
  while (r.at < end) {
    const b = bytes[r.at]!;
    if (b & 0x80) {
      const index = r.integer(7);
      checkIndex(index);
      if (isStatusIndex(index)) into.status = STATUS_OF_INDEX[index - 8];
      continue;
    }
    if ((b & 0xe0) === 0x20) {
      r.integer(5); // a dynamic table size update: there is no table to resize
      continue;
    }
    const nameIndex = r.integer((b & 0xc0) === 0x40 ? 6 : 4);
    if (nameIndex !== 0) checkIndex(nameIndex);
    const name = nameIndex === 0 ? r.string(true) : undefined;
    const keep = isStatusIndex(nameIndex) || name === 'grpc-status' || name === 'grpc-message';
    const value = r.string(keep);
    if (isStatusIndex(nameIndex)) into.status = Number(value);
    else if (name === 'grpc-status') into.grpcStatus = value;
    else if (name === 'grpc-message') into.grpcMessage = value;
  }
}

/** A literal field without indexing, name and value not Huffman-coded: `0x00`, name, value. */
function literal(name: string, value: string): Buffer {
  const part = (s: string) => {
    const bytes = Buffer.from(s, 'latin1');
    return Buffer.concat([integerBytes(bytes.length, 7, 0), bytes]);
  };
  return Buffer.concat([Buffer.of(0), part(name), part(value)]);
}

function integerBytes(value: number, prefixBits: number, flags: number): Buffer {
  const max = 2 ** prefixBits - 1;
  if (value < max) return Buffer.of(flags | value);
  const out = [flags | max];
  for (let rest = value - max; ; rest = Math.floor(rest / 128)) {
    if (rest < 128) {
      out.push(rest);
      return Buffer.from(out);
    }
    out.push((rest % 128) | 0x80);
  }
}

/** A request's header block, built once and sent as is with every call. */
export function encodeHeaderBlock(fields: [string, string][]): Buffer {
  return Buffer.concat(fields.map(([name, value]) => literal(name, value)));
}

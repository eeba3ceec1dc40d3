import { describe, expect, it } from 'vitest';
import { decodeHeaderBlock, encodeHeaderBlock, type GrpcFields, huffmanDecode } from './hpack.ts';

const hex = (h: string) => Buffer.from(h.replace(/\s/g, ''), 'hex');
const huffman = (h: string) => {
  const b = hex(h);
  return huffmanDecode(b, 0, b.length);
};
const fieldsOf = (block: Buffer) => {
  const into: GrpcFields = {};
  decodeHeaderBlock(block, 0, block.length, into);
  return into;
};

describe('HPACK for the generator’s gRPC client', () => {
  it('decodes the Huffman-coded strings of RFC 7541’s examples (C.4, C.6)', () => {
    expect(huffman('f1e3 c2e5 f23a 6ba0 ab90 f4ff')).toBe('www.example.com');
    expect(huffman('a8eb 1064 9cbf')).toBe('no-cache');
    expect(huffman('25a8 49e9 5ba9 7d7f')).toBe('custom-key');
    expect(huffman('25a8 49e9 5bb8 e8b4 bf')).toBe('custom-value');
    expect(huffman('6402')).toBe('302');
    expect(huffman('aec3 771a 4b')).toBe('private');
    expect(huffman('d07a be94 1054 d444 a820 0595 040b 8166 e082 a62d 1bff')).toBe(
      'Mon, 21 Oct 2013 20:13:21 GMT',
    );
    expect(huffman('9d29 ad17 1863 c78f 0b97 c8e9 ae82 ae43 d3')).toBe('https://www.example.com');
  });

  it('refuses padding that is not a prefix of EOS, or longer than 7 bits', () => {
    // '0' is 00000: the 3 padding bits must be ones.
    expect(() => huffman('00')).toThrow(/padding/);
    expect(huffman('07')).toBe('0');
    expect(() => huffman('07ff')).toThrow(/padding/);
  });

  it('reads :status, grpc-status and grpc-message in every representation a server may use', () => {
    // 0x88: indexed :status 200. 0x40: literal with incremental indexing, new name (the entry is
    // evicted at once: the client announced a table of size 0). 0x0f 0x0d: never indexed, name
    // index 28 (content-length), skipped. 0x20: a table size update to 0.
    const block = Buffer.concat([
      hex('20 88'),
      hex('40 0b'),
      Buffer.from('grpc-status'),
      hex('01'),
      Buffer.from('3'),
      hex('1f 0d 02'),
      Buffer.from('12'),
      hex('00 89'),
      hex('9aca c8b5 2542 0731 7f'), // 'grpc-message', Huffman-coded with RFC 7541's codes
      hex('03'),
      Buffer.from('bad'),
    ]);
    expect(fieldsOf(block)).toEqual({ status: 200, grpcStatus: '3', grpcMessage: 'bad' });
    // A literal :status (name index 8 … 14 all name `:status`).
    expect(fieldsOf(hex('0803 353033'))).toEqual({ status: 503 });
  });

  it('refuses a reference to a dynamic table it never allowed, and a field cut short', () => {
    expect(() => fieldsOf(hex('be'))).toThrow(/static table/);
    expect(() => fieldsOf(hex('00 0b 6772'))).toThrow(/past the header block/);
  });

  it('writes request fields as literals that never enter a table, name and value as they are', () => {
    expect(encodeHeaderBlock([[':path', '/sample/path']])).toEqual(
      Buffer.concat([hex('00 05'), Buffer.from(':path'), hex('0c'), Buffer.from('/sample/path')]),
    );
    // A length of 127 or more continues in the next bytes (RFC 7541 §5.1): 130 = 127 + 3.
    const long = 'k'.repeat(130);
    expect(encodeHeaderBlock([['x', long]]).subarray(0, 5)).toEqual(hex('00 01 78 7f 03'));
  });
});

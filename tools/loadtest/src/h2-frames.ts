// HTTP/2 frames (RFC 9113 §4, §6) as the generator's gRPC client writes them: a frame's 9-byte
// head, the connection's opening, and a unary call's HEADERS + DATA in one buffer.

export const DATA = 0;
export const HEADERS = 1;
export const RST_STREAM = 3;
export const SETTINGS = 4;
export const PUSH_PROMISE = 5;
export const PING = 6;
export const GOAWAY = 7;
export const WINDOW_UPDATE = 8;
export const CONTINUATION = 9;
export const END_STREAM = 0x1;
export const ACK = 0x1;
export const END_HEADERS = 0x4;
export const PADDED = 0x8;
export const PRIORITY = 0x20;
export const REFUSED_STREAM = 0x7;
export const CANCEL = 0x8;
const MAX_WINDOW = 2 ** 31 - 1;
export const LAST_ID = 2 ** 31 - 1;
const PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 'latin1');

export function frame(type: number, flags: number, id: number, payload: Buffer): Buffer {
  const out = Buffer.allocUnsafe(9 + payload.length);
  writeFrameHead(out, 0, payload.length, type, flags, id);
  payload.copy(out, 9);
  return out;
}

function writeFrameHead(
  out: Buffer,
  at: number,
  length: number,
  type: number,
  flags: number,
  id: number,
) {
  out.writeUIntBE(length, at, 3);
  out[at + 3] = type;
  out[at + 4] = flags;
  out.writeUInt32BE(id, at + 5);
}

export const u32 = (n: number) => {
  const b = Buffer.allocUnsafe(4);
  b.writeUInt32BE(n);
  return b;
};

// Push off; no dynamic table for the server's header blocks (hpack.ts keeps none); stream windows
// as large as allowed, and the connection's raised to match, so answers never wait on us.
export const OPENING = Buffer.concat([
  PREFACE,
  frame(
    SETTINGS,
    0,
    0,
    Buffer.from([0, 2, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 4, ...u32(MAX_WINDOW)]),
  ),
  frame(WINDOW_UPDATE, 0, 0, u32(MAX_WINDOW - 65_535)),
]);

/** HEADERS (the prepared block) and DATA (the gRPC-framed message, ending the stream). */
export function requestFrames(id: number, block: Buffer, message: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(9 + block.length + 9 + 5 + message.length);
  writeFrameHead(out, 0, block.length, HEADERS, END_HEADERS, id);
  block.copy(out, 9);
  const at = 9 + block.length;
  writeFrameHead(out, at, 5 + message.length, DATA, END_STREAM, id);
  out[at + 9] = 0;
  out.writeUInt32BE(message.length, at + 10);
  out.set(message, at + 14);
  return out;
}

import net from 'node:net';

// Every client socket of the generator reads into this one buffer (`onread`) instead of a new
// 64 KB Buffer per read pushed through a Readable stream: a 200 KB list answer took four reads,
// allocations and stream events each. Safe to share because a read's callback runs to its end
// before the next read starts; whoever keeps bytes past the callback copies them.
const shared = Buffer.allocUnsafe(256 * 1024);

/** A TCP connection whose incoming bytes go to `onData`, valid only during the call. */
export function connectReading(
  host: string,
  port: number,
  onData: (chunk: Buffer) => void,
): net.Socket {
  return net.connect({
    host,
    port,
    noDelay: true,
    onread: {
      buffer: shared,
      callback: (length) => {
        onData(shared.subarray(0, length));
        return true;
      },
    },
  });
}

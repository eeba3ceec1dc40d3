import type { FastifyReply } from 'fastify';

/**
 * Reusable response buffers for the ~200 KB list and initialize bodies. A fresh allocation of
 * that size per request is served by mmap and page-faulted in on first write; reusing a few
 * buffers keeps those pages resident. A buffer goes back to the pool only when the response
 * is closed, i.e. after the socket no longer needs its bytes.
 */
export function responseBufferPool(options: { keep?: number } = {}) {
  const keep = options.keep ?? 16;
  const free: Buffer[] = [];
  return {
    /** An allocator for core's ByteWriter that hands out pooled buffers big enough for `size`. */
    allocatorFor(reply: FastifyReply): (size: number) => Uint8Array {
      return (size) => {
        const index = free.findIndex((b) => b.length >= size);
        const buffer = index >= 0 ? free.splice(index, 1)[0]! : Buffer.allocUnsafeSlow(size);
        reply.raw.once('close', () => {
          if (free.length < keep) free.push(buffer);
        });
        return buffer;
      };
    },
  };
}

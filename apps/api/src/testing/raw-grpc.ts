import { Client, credentials, Metadata, type ServiceError } from '@grpc/grpc-js';

/** A grpc-js client that sends any bytes as the request message of any method path. */
export interface RawGrpcClient {
  /** Resolves with the status code (0 for OK) and details; never rejects on a gRPC status. */
  call(
    path: string,
    bytes: Uint8Array,
    metadata?: Record<string, string>,
  ): Promise<{ code: number; details: string }>;
  /** A server stream: resolves with 0 at its first message (then cancels it), or its status. */
  stream(
    path: string,
    bytes: Uint8Array,
    metadata?: Record<string, string>,
  ): Promise<{ code: number; details: string }>;
  close(): void;
}

export function rawGrpcClient(address: string): RawGrpcClient {
  const client = new Client(address, credentials.createInsecure());
  const same = (b: Buffer) => b;
  return {
    call(path, bytes, entries = {}) {
      const metadata = new Metadata();
      for (const [key, value] of Object.entries(entries)) metadata.set(key, value);
      return new Promise((resolve) => {
        client.makeUnaryRequest(
          path,
          same,
          same,
          Buffer.from(bytes),
          metadata,
          { deadline: Date.now() + 10_000 },
          (error: ServiceError | null) =>
            resolve(
              error ? { code: error.code, details: error.details } : { code: 0, details: '' },
            ),
        );
      });
    },
    stream(path, bytes, entries = {}) {
      const metadata = new Metadata();
      for (const [key, value] of Object.entries(entries)) metadata.set(key, value);
      return new Promise((resolve) => {
        const call = client.makeServerStreamRequest(
          path,
          same,
          same,
          Buffer.from(bytes),
          metadata,
          {
            deadline: Date.now() + 10_000,
          },
        );
        call.on('data', () => {
          resolve({ code: 0, details: '' });
          call.cancel();
        });
        call.on('error', (error: ServiceError) =>
          resolve({ code: error.code, details: error.details }),
        );
      });
    },
    close: () => client.close(),
  };
}

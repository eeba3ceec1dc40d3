import { Client, credentials, Metadata } from '@grpc/grpc-js';

/**
 * The benches' gRPC channel: one carries every simulated player, so its window must hold many
 * answers — with HTTP/2's default 64 KiB connection window, concurrent 65 KB list answers queue
 * behind WINDOW_UPDATEs (measured p50 215 ms).
 */
export function benchGrpcClient(address: string): Client {
  return new Client(address, credentials.createInsecure(), {
    'grpc-node.flow_control_window': 16 * 1024 * 1024,
  });
}

/**
 * A unary call as `x-mock-user-id: player` with an empty request, its answer kept as bytes: the
 * client does not decode 500 goals while it shares the 2 cores with the server.
 */
export function grpcBytes(client: Client, path: string, player: string): Promise<Buffer> {
  const metadata = new Metadata();
  metadata.set('x-mock-user-id', player);
  return new Promise<Buffer>((resolve, reject) =>
    client.makeUnaryRequest(
      path,
      () => Buffer.alloc(0),
      (bytes: Buffer) => bytes,
      {},
      metadata,
      (error, bytes) => {
        if (error) return reject(new Error(`gRPC ${error.code} ${error.details}`));
        resolve(bytes ?? Buffer.alloc(0));
      },
    ),
  );
}

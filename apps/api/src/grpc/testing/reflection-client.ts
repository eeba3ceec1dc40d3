import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import {
  credentials,
  loadPackageDefinition,
  type ServiceClientConstructor,
  type ServiceError,
} from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';

export interface ReflectionClient {
  /** One request on the bidirectional stream, its first answer; rejects with the call status. */
  ask(request: object): Promise<any>;
  close(): void;
}

/** A grpc.reflection.v1 client from the proto that @grpc/reflection ships (what grpcurl speaks). */
export function reflectionClient(address: string): ReflectionClient {
  const entry = createRequire(import.meta.url).resolve('@grpc/reflection');
  const proto = join(dirname(entry), '../proto/grpc/reflection/v1/reflection.proto');
  let node: any = loadPackageDefinition(loadSync(proto, { keepCase: true, enums: String }));
  for (const part of ['grpc', 'reflection', 'v1', 'ServerReflection']) node = node[part];
  const client = new (node as ServiceClientConstructor)(address, credentials.createInsecure());
  return {
    ask: (request) =>
      new Promise<any>((resolve, reject) => {
        const stream = (client as any).ServerReflectionInfo();
        stream.on('data', (response: any) => {
          resolve(response);
          stream.end();
        });
        stream.on('error', (error: ServiceError) => reject(error));
        stream.write(request);
      }),
    close: () => client.close(),
  };
}

import { fileURLToPath } from 'node:url';
import {
  type Client,
  credentials,
  type GrpcObject,
  loadPackageDefinition,
  Metadata,
  type ServiceClientConstructor,
  type ServiceError,
} from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';

const PROTO = fileURLToPath(new URL('./independent-service.proto', import.meta.url));

/** An answer as plain data: the decoded message, or the status a call failed with. */
export type GrpcAnswer =
  | { ok: true; value: any }
  | { ok: false; code: number; details: string; errorCode: string | undefined };

export interface CallAuth {
  user?: string;
  authorization?: string;
  /** Further metadata, e.g. `accept-language`. */
  metadata?: Record<string, string>;
}

export interface IndependentClient {
  call(method: string, request?: object, auth?: CallAuth): Promise<GrpcAnswer>;
  close(): void;
}

/**
 * A client for the player facade built at run time by proto-loader from the hand-written
 * hand-written proto: camelCase names like the REST JSON, defaults filled in (unset message → null).
 */
export function independentClient(address: string): IndependentClient {
  const definition = loadSync(PROTO, {
    keepCase: false,
    longs: Number,
    enums: String,
    defaults: true,
    arrays: true,
  });
  const pkg = loadPackageDefinition(definition).service as GrpcObject;
  const Service = pkg.Service as ServiceClientConstructor;
  const client: Client & Record<string, any> = new Service(
    address,
    credentials.createInsecure(),
  ) as any;

  return {
    call(method, request = {}, auth = {}) {
      const metadata = new Metadata();
      if (auth.user !== undefined) metadata.set('x-mock-user-id', auth.user);
      if (auth.authorization !== undefined) metadata.set('authorization', auth.authorization);
      for (const [key, value] of Object.entries(auth.metadata ?? {})) metadata.set(key, value);
      return new Promise((resolve) => {
        client[method]!(request, metadata, (error: ServiceError | null, value: unknown) => {
          if (!error) return resolve({ ok: true, value });
          const errorCode = error.metadata?.get('error-code')[0]?.toString();
          resolve({ ok: false, code: error.code, details: error.details, errorCode });
        });
      });
    },
    close: () => client.close(),
  };
}

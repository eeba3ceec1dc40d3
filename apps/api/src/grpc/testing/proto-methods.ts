import { fileURLToPath } from 'node:url';
import { loadSync } from '@grpc/proto-loader';

const PROTO_ROOT = fileURLToPath(new URL('../../../../../proto/', import.meta.url));

/** Every rpc of every service in proto/, as `/package.Service/Method`. */
export function protoMethods(): string[] {
  const files = [
    'service/service.proto',
    'accelbyte/social/statistic/v1/statistic.proto',
    'accelbyte/iam/account/v1/account.proto',
  ];
  const loaded = loadSync(
    files.map((f) => `${PROTO_ROOT}${f}`),
    { includeDirs: [PROTO_ROOT] },
  );
  // A service definition maps method names to { path, ... }; message and enum types carry `format`.
  const definitions = Object.values(loaded as Record<string, object>);
  return definitions
    .filter((d) => !('format' in d))
    .flatMap((service) => Object.values(service as Record<string, { path: string }>))
    .map((m) => m.path)
    .sort();
}

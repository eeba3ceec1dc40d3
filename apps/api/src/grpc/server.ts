import { fileURLToPath } from 'node:url';
import {
  type handleUnaryCall,
  Server,
  ServerCredentials,
  type sendUnaryData,
  status,
} from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { ReflectionService } from '@grpc/reflection';
import { HealthImplementation, protoPath as healthProtoPath } from 'grpc-health-check';
import { refusingMalformed, tolerantDecoding } from '../edge/malformed-request.ts';
import { ServiceService } from '../gen/service/service.js';
import { serializeChallengesWire } from './challenges-wire-answer.ts';
import {
  type PlayerServiceDeps,
  type PlayerServiceServer,
  playerService,
} from './player-service.ts';

const PROTO_ROOT = fileURLToPath(new URL('../../../../proto/', import.meta.url));
const PLAYER_SERVICE = 'service.Service';

/** Called once per finished call, e.g. to feed a latency histogram. */
export type CallObserver = (method: string, code: string, seconds: number) => void;

export interface PlayerGrpcOptions extends PlayerServiceDeps {
  host: string;
  port: number;
  /** Server reflection: a map of every method for anyone who can reach the port. */
  reflection: boolean;
  observe?: CallObserver;
}

export interface RunningGrpcServer {
  /** The bound port (useful when the configured port is 0). */
  port: number;
  close(): Promise<void>;
}

type UnaryHandler = handleUnaryCall<unknown, unknown>;

// grpc-js's status is a numeric enum: keep its name → number entries, not the reverse ones.
const CODE_NAMES = new Map(
  Object.entries(status)
    .filter(([, code]) => typeof code === 'number')
    .map(([name, code]) => [code as number, name]),
);

/**
 * The generated service definition, except that GetUserChallenges' handler answers with the
 * player's views, which its `responseSerialize` encodes into protobuf bytes spliced from
 * pre-encoded pieces (challenges-wire-answer.ts) instead of ts-proto's encoder. Requests, and every other method, decode and encode as
 * generated.
 */
export const playerServiceDefinition = {
  ...ServiceService,
  getUserChallenges: {
    ...ServiceService.getUserChallenges,
    responseSerialize: serializeChallengesWire,
  },
} as const;

/** Wraps every unary handler so each call reports its method, status code and duration. */
function observed(impl: PlayerServiceServer, observe: CallObserver): PlayerServiceServer {
  const wrapped: Record<string, UnaryHandler> = {};
  for (const [key, handler] of Object.entries(impl) as [string, UnaryHandler][]) {
    const definition = ServiceService[key as keyof typeof ServiceService];
    const method = definition.path.split('/')[2]!;
    // A stream's duration is the client's to choose: not a call latency.
    if (definition.responseStream) {
      wrapped[key] = handler;
      continue;
    }
    wrapped[key] = (call, callback) => {
      const start = performance.now();
      const done: sendUnaryData<unknown> = (error, value, ...rest) => {
        const code = error ? (error.code ?? status.UNKNOWN) : status.OK;
        observe(method, CODE_NAMES.get(code) ?? String(code), (performance.now() - start) / 1000);
        callback(error, value, ...rest);
      };
      handler(call, done);
    };
  }
  return wrapped as unknown as PlayerServiceServer;
}

/**
 * Reflection needs descriptors, which ts-proto output does not carry: the same .proto files
 * are parsed once at start (a few ms) for grpcurl and friends. The hot path uses ts-proto (and
 * the pre-encoded bytes of GetUserChallenges).
 */
function reflection(): ReflectionService {
  const definitions = loadSync([`${PROTO_ROOT}service/service.proto`, healthProtoPath], {
    includeDirs: [PROTO_ROOT],
  });
  return new ReflectionService(definitions);
}

/** The player facade on its own port, with grpc.health.v1 and (when enabled) server reflection. */
export async function startPlayerGrpcServer(
  options: PlayerGrpcOptions,
): Promise<RunningGrpcServer> {
  const { host, observe, log } = options;
  const server = new Server();
  const impl = playerService(options);
  server.addService(
    tolerantDecoding(playerServiceDefinition),
    observe ? observed(impl, observe) : impl,
  );
  const health = new HealthImplementation({ '': 'SERVING', [PLAYER_SERVICE]: 'SERVING' });
  health.addToServer(refusingMalformed(server));
  if (options.reflection) reflection().addToServer(server);

  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(`${host}:${options.port}`, ServerCredentials.createInsecure(), (error, p) =>
      error ? reject(error) : resolve(p),
    ),
  );
  log.info({ port, reflection: options.reflection }, 'player gRPC listening');

  return {
    port,
    close: async () => {
      // Probes see NOT_SERVING first; calls in flight may finish for a bounded time.
      health.setStatus('', 'NOT_SERVING');
      health.setStatus(PLAYER_SERVICE, 'NOT_SERVING');
      await new Promise<void>((resolve) => {
        const force = setTimeout(() => {
          server.forceShutdown();
          resolve();
        }, 5000);
        force.unref();
        server.tryShutdown(() => {
          clearTimeout(force);
          resolve();
        });
      });
    },
  };
}

# One image for every process of the stack; the command picks which (docker-compose.yml):
#   start:api:prod · start:worker:prod · start:web:prod · migrate:prod
# Each is a root package.json script running the compiled JavaScript (`npm run build`) on plain
# node: no TypeScript loader at run time.

# deps: the full install (the build needs the dev tools; postinstall generates the Prisma client).
FROM node:20-bookworm-slim AS deps
WORKDIR /app
ENV NPM_CONFIG_UPDATE_NOTIFIER=false NPM_CONFIG_FUND=false NPM_CONFIG_AUDIT=false
COPY package.json package-lock.json ./
COPY packages/core/package.json packages/core/
COPY packages/db/package.json packages/db/prisma.config.ts packages/db/
COPY packages/db/scripts packages/db/scripts
COPY packages/db/prisma packages/db/prisma
COPY packages/db/src/database-url.ts packages/db/src/
COPY packages/runtime/package.json packages/runtime/
COPY packages/client/package.json packages/client/
COPY apps/api/package.json apps/api/
COPY apps/worker/package.json apps/worker/
COPY apps/web/package.json apps/web/
COPY tools/loadtest/package.json tools/loadtest/
RUN npm ci

# build: compile, then drop what only building and testing need.
FROM deps AS build
COPY . .
RUN npm run build \
  && npm prune --omit=dev \
  && rm -rf apps/web/.next/cache

# runtime: the built tree, owned by root; the service writes only its caches and load-test reports.
FROM node:20-bookworm-slim AS runtime
WORKDIR /app
ENV NODE_ENV=production \
  NEXT_TELEMETRY_DISABLED=1 \
  NPM_CONFIG_UPDATE_NOTIFIER=false \
  LOADTEST_RUNNER=/app/tools/loadtest/dist/cli.js
COPY --from=build /app /app
RUN mkdir -p apps/web/.next/cache loadtest/results \
  && chown node:node apps/web/.next/cache loadtest/results
USER node
EXPOSE 8000 6565 6566 8080 8081 3000
# `npm run --silent <script>`: the script execs node, so npm passes SIGTERM straight on and the
# service drains; --silent keeps npm's banner out of the JSON logs.
ENTRYPOINT ["npm", "run", "--silent"]
CMD ["start:api:prod"]

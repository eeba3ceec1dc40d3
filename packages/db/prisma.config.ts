import { defineConfig } from 'prisma/config';
import { DEFAULT_DATABASE_URL } from './src/database-url.ts';

// Prisma 7 reads the connection URL from here, not from schema.prisma. Only `prisma migrate
// deploy`/`studio` need it (our own migrator applies migrations at start); `generate` ignores it.
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: {
    url: process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL,
  },
});

import { describe, expect, it } from 'vitest';
import { compareSchemas } from './compare-schemas.ts';
import { parsePrismaSchema } from './prisma-schema.ts';

const schema = `
generator client {
  provider = "prisma-client"
}

/// doc comment
model Grant {
  id        BigInt    @id @default(autoincrement())
  key       String    @unique @map("idempotency_key") // trailing comment
  userId    String    @map("user_id")
  status    String    @default("pending")
  grantedAt DateTime? @map("granted_at") @db.Timestamptz(3)

  @@index([status, grantedAt])
  @@map("grants")
}

model Progress {
  userId String @map("user_id")
  goalId String @map("goal_id")
  value  Float?

  @@id([userId, goalId])
  @@unique([goalId, value], map: "progress_goal_value")
  @@map("progress")
}
`;

describe('parsePrismaSchema', () => {
  it('reads tables, columns, keys and indexes in database names', () => {
    const [grants, progress] = parsePrismaSchema(schema);
    expect(grants).toEqual({
      name: 'grants',
      columns: [
        { name: 'id', type: 'bigint', nullable: false, hasDefault: true },
        { name: 'idempotency_key', type: 'text', nullable: false, hasDefault: false },
        { name: 'user_id', type: 'text', nullable: false, hasDefault: false },
        { name: 'status', type: 'text', nullable: false, hasDefault: true },
        {
          name: 'granted_at',
          type: 'timestamp(3) with time zone',
          nullable: true,
          hasDefault: false,
        },
      ],
      primaryKey: { name: 'grants_pkey', columns: ['id'] },
      indexes: [
        { name: 'grants_idempotency_key_key', columns: ['idempotency_key'], unique: true },
        { name: 'grants_status_granted_at_idx', columns: ['status', 'granted_at'], unique: false },
      ],
    });
    expect(progress?.primaryKey).toEqual({
      name: 'progress_pkey',
      columns: ['user_id', 'goal_id'],
    });
    expect(progress?.indexes).toEqual([
      { name: 'progress_goal_value', columns: ['goal_id', 'value'], unique: true },
    ]);
    expect(progress?.columns[2]).toEqual({
      name: 'value',
      type: 'double precision',
      nullable: true,
      hasDefault: false,
    });
  });

  it('refuses what it cannot read instead of passing silently', () => {
    expect(() => parsePrismaSchema('model A {\n  id Decimal2 @id\n}')).toThrow(/unsupported type/);
    expect(() => parsePrismaSchema('enum Color {\n  RED\n}')).toThrow(/enum/);
  });
});

describe('compareSchemas', () => {
  it('agrees with itself', () => {
    expect(compareSchemas(parsePrismaSchema(schema), parsePrismaSchema(schema))).toEqual([]);
  });

  it('reports every difference of a deliberately different database', () => {
    const drifted = schema
      .replace('@map("user_id")\n  status', '@map("user_id") @db.VarChar(64)\n  status')
      .replace('grantedAt DateTime?', 'grantedAt DateTime ')
      .replace('@@index([status, grantedAt])', '@@index([status])')
      .replace('  value  Float?\n', '  value  Float?\n  extra  Int\n')
      .replace('@@id([userId, goalId])', '@@id([goalId, userId])')
      .replace('status    String    @default("pending")', 'status    String');
    expect(compareSchemas(parsePrismaSchema(schema), parsePrismaSchema(drifted))).toEqual([
      'table grants: column user_id is character varying(64), schema says text',
      'table grants: column status has no default, schema says a default',
      'table grants: column granted_at is NOT NULL, schema says nullable',
      'table grants: index grants_status_granted_at_idx (status, granted_at) missing in the database',
      'table grants: index grants_status_idx (status) not in schema.prisma',
      'table progress: column extra not in schema.prisma',
      'table progress: primary key is progress_pkey (goal_id, user_id), schema says progress_pkey (user_id, goal_id)',
    ]);
  });

  it('reports missing and unexpected tables', () => {
    const [grants, progress] = parsePrismaSchema(schema);
    expect(compareSchemas([grants!], [progress!])).toEqual([
      'table grants: in schema.prisma but not in the database',
      'table progress: in the database but not in schema.prisma',
    ]);
  });
});

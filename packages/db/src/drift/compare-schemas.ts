import type { TableShape } from './schema-shape.ts';

/**
 * Every way the database differs from what schema.prisma declares, one readable line each;
 * empty when they agree. Column order and CHECK constraints are not compared (Prisma has no
 * notion of either).
 */
export function compareSchemas(expected: TableShape[], actual: TableShape[]): string[] {
  const problems: string[] = [];
  const actualByName = new Map(actual.map((table) => [table.name, table]));
  for (const want of expected) {
    const have = actualByName.get(want.name);
    if (!have) {
      problems.push(`table ${want.name}: in schema.prisma but not in the database`);
      continue;
    }
    problems.push(...compareTable(want, have));
  }
  const expectedNames = new Set(expected.map((table) => table.name));
  for (const have of actual) {
    if (!expectedNames.has(have.name)) {
      problems.push(`table ${have.name}: in the database but not in schema.prisma`);
    }
  }
  return problems;
}

function compareTable(want: TableShape, have: TableShape): string[] {
  const problems: string[] = [];
  const at = (what: string) => `table ${want.name}: ${what}`;
  const haveColumns = new Map(have.columns.map((column) => [column.name, column]));
  for (const column of want.columns) {
    const found = haveColumns.get(column.name);
    if (!found) {
      problems.push(at(`column ${column.name} missing in the database`));
      continue;
    }
    if (found.type !== column.type) {
      problems.push(at(`column ${column.name} is ${found.type}, schema says ${column.type}`));
    }
    if (found.nullable !== column.nullable) {
      const word = (nullable: boolean) => (nullable ? 'nullable' : 'NOT NULL');
      problems.push(
        at(
          `column ${column.name} is ${word(found.nullable)}, schema says ${word(column.nullable)}`,
        ),
      );
    }
    if (found.hasDefault !== column.hasDefault) {
      const word = (has: boolean) => (has ? 'a default' : 'no default');
      problems.push(
        at(
          `column ${column.name} has ${word(found.hasDefault)}, schema says ${word(column.hasDefault)}`,
        ),
      );
    }
  }
  const wantColumns = new Set(want.columns.map((column) => column.name));
  for (const column of have.columns) {
    if (!wantColumns.has(column.name))
      problems.push(at(`column ${column.name} not in schema.prisma`));
  }

  const describeKey = (key: TableShape['primaryKey']) =>
    key ? `${key.name} (${key.columns.join(', ')})` : 'none';
  if (describeKey(want.primaryKey) !== describeKey(have.primaryKey)) {
    problems.push(
      at(
        `primary key is ${describeKey(have.primaryKey)}, schema says ${describeKey(want.primaryKey)}`,
      ),
    );
  }

  const describe = (index: TableShape['indexes'][number]) =>
    `${index.unique ? 'unique ' : ''}index ${index.name} (${index.columns.join(', ')})`;
  const wantIndexes = new Set(want.indexes.map(describe));
  const haveIndexes = new Set(have.indexes.map(describe));
  for (const index of wantIndexes) {
    if (!haveIndexes.has(index)) problems.push(at(`${index} missing in the database`));
  }
  for (const index of haveIndexes) {
    if (!wantIndexes.has(index)) problems.push(at(`${index} not in schema.prisma`));
  }
  return problems;
}

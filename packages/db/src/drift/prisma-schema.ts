import type { ColumnShape, IndexShape, TableShape } from './schema-shape.ts';

// A deliberately small reader of the Prisma schema language: enough for the scalar models we
// write, and loud (throws) on anything it does not understand, so drift cannot hide there.

const SCALAR_TYPES: Record<string, string> = {
  String: 'text',
  Int: 'integer',
  BigInt: 'bigint',
  Float: 'double precision',
  Boolean: 'boolean',
  DateTime: 'timestamp(3) without time zone',
  Json: 'jsonb',
  Bytes: 'bytea',
  Decimal: 'numeric(65,30)',
};

const NATIVE_TYPES: Record<string, (args: string[]) => string> = {
  Text: () => 'text',
  VarChar: (args) => (args[0] ? `character varying(${args[0]})` : 'character varying'),
  Uuid: () => 'uuid',
  Integer: () => 'integer',
  SmallInt: () => 'smallint',
  BigInt: () => 'bigint',
  DoublePrecision: () => 'double precision',
  Real: () => 'real',
  Boolean: () => 'boolean',
  Date: () => 'date',
  JsonB: () => 'jsonb',
  Timestamptz: (args) =>
    args[0] ? `timestamp(${args[0]}) with time zone` : 'timestamp with time zone',
  Timestamp: (args) =>
    args[0] ? `timestamp(${args[0]}) without time zone` : 'timestamp without time zone',
};

interface Field {
  name: string;
  column: string;
  attributes: string;
}

/** The tables that `prisma migrate` would create for the schema's models. */
export function parsePrismaSchema(source: string): TableShape[] {
  const text = source.replace(/\/\/.*$/gm, '');
  const blocks = [...text.matchAll(/^\s*(model|enum|view|type)\s+(\w+)\s*\{([^}]*)\}/gm)];
  const unsupported = blocks.find((block) => block[1] !== 'model');
  if (unsupported) throw new Error(`drift check does not support ${unsupported[1]} blocks yet`);
  const modelNames = new Set(blocks.map((block) => block[2]!));
  return blocks.map((block) => parseModel(block[2]!, block[3]!, modelNames));
}

function parseModel(model: string, body: string, modelNames: Set<string>): TableShape {
  const lines = body
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
  const blockAttributes = lines.filter((line) => line.startsWith('@@'));
  const table = stringArg(blockAttributes.find((line) => line.startsWith('@@map(')) ?? '') ?? model;
  const fields: Field[] = [];
  const columns: ColumnShape[] = [];
  let primaryKey: TableShape['primaryKey'] = null;
  const indexes: IndexShape[] = [];

  for (const line of lines.filter((candidate) => !candidate.startsWith('@@'))) {
    const match = /^(\w+)\s+(\w+)(\[\])?(\?)?\s*(.*)$/.exec(line);
    if (!match) throw new Error(`model ${model}: cannot read field line '${line}'`);
    const [, name, type, list, optional, attributes] = match as unknown as string[];
    if (modelNames.has(type!)) continue; // a relation field: no column of its own
    const column = stringArg(/@map\(([^)]*)\)/.exec(attributes!)?.[0] ?? '') ?? name!;
    fields.push({ name: name!, column, attributes: attributes! });
    columns.push({
      name: column,
      type: columnType(model, name!, type!, attributes!) + (list ? '[]' : ''),
      nullable: optional === '?',
      hasDefault: /@default\(/.test(attributes!),
    });
    if (/@id\b/.test(attributes!)) {
      primaryKey = { name: mapArg(attributes!, '@id') ?? `${table}_pkey`, columns: [column] };
    }
    if (/@unique\b/.test(attributes!)) {
      const indexName = mapArg(attributes!, '@unique') ?? `${table}_${column}_key`;
      indexes.push({ name: indexName, columns: [column], unique: true });
    }
  }

  const columnOf = (field: string) => {
    const found = fields.find((candidate) => candidate.name === field);
    if (!found) throw new Error(`model ${model}: unknown field '${field}' in a block attribute`);
    return found.column;
  };
  for (const line of blockAttributes) {
    const kind = /^@@(\w+)/.exec(line)?.[1];
    if (kind === 'map') continue;
    const list = /\[([^\]]*)\]/.exec(line)?.[1];
    if (list === undefined) throw new Error(`model ${model}: cannot read '${line}'`);
    const cols = list.split(',').map((item) => columnOf(item.trim().replace(/\(.*$/, '')));
    const joined = cols.join('_');
    const explicitName = /map:\s*"([^"]*)"/.exec(line)?.[1];
    if (kind === 'id') primaryKey = { name: explicitName ?? `${table}_pkey`, columns: cols };
    else if (kind === 'unique') {
      indexes.push({ name: explicitName ?? `${table}_${joined}_key`, columns: cols, unique: true });
    } else if (kind === 'index') {
      indexes.push({
        name: explicitName ?? `${table}_${joined}_idx`,
        columns: cols,
        unique: false,
      });
    } else throw new Error(`model ${model}: unsupported block attribute '${line}'`);
  }
  return { name: table, columns, primaryKey, indexes };
}

function columnType(model: string, field: string, type: string, attributes: string): string {
  const native = /@db\.(\w+)(?:\(([^)]*)\))?/.exec(attributes);
  if (native) {
    const render = NATIVE_TYPES[native[1]!];
    if (!render)
      throw new Error(`model ${model}.${field}: unsupported native type @db.${native[1]}`);
    return render(
      (native[2] ?? '')
        .split(',')
        .map((arg) => arg.trim())
        .filter(Boolean),
    );
  }
  const scalar = SCALAR_TYPES[type];
  if (!scalar) throw new Error(`model ${model}.${field}: unsupported type ${type}`);
  return scalar;
}

/** The first string literal of `@attr(...)`, e.g. `@@map("x")` → `x`. */
function stringArg(attribute: string): string | undefined {
  return /\(\s*(?:name:\s*)?"([^"]*)"/.exec(attribute)?.[1];
}

/** `map: "name"` inside the parentheses of attribute `attr` on a field line. */
function mapArg(attributes: string, attr: string): string | undefined {
  const args = new RegExp(`${attr}\\(([^)]*)\\)`).exec(attributes)?.[1];
  return args ? /map:\s*"([^"]*)"/.exec(args)?.[1] : undefined;
}

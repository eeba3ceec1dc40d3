// The layering rules of docs/architecture.md, checked on the source text: which module may
// import what, who may write SQL, who may read `process.env`. Each rule names its exemptions
// with the reason; anything new outside them fails `npm run lint`.
import path from 'node:path';
import ts from 'typescript';

export interface SourceFile {
  /** Repository-relative, with forward slashes. */
  path: string;
  text: string;
}

export interface Violation {
  rule: RuleName;
  path: string;
  line: number;
  message: string;
}

export type RuleName =
  | 'core-is-pure'
  | 'db-owns-sql'
  | 'no-testing-in-product'
  | 'edges-apart'
  | 'env-modules-only';

/** What one file refers to, as the TypeScript parser sees it (comments never count). */
interface Facts {
  imports: { specifier: string; line: number }[];
  envReads: number[];
  sql: { line: number; text: string }[];
}

// The ICU MessageFormat parser and formatter (localized text, core/i18n) are pure JS like luxon.
const CORE_DEPENDENCIES = [
  'zod',
  'luxon',
  'intl-messageformat',
  '@formatjs/icu-messageformat-parser',
];
const DATABASE_DRIVERS = /^(pg|pg-[\w-]+|@prisma\/[\w/-]+|prisma)$/;
/**
 * "Writes SQL": a string or template literal holding a statement — SELECT … FROM, INSERT INTO,
 * UPDATE <table> SET, DELETE FROM, TRUNCATE, or CREATE/DROP/ALTER of a table, index, schema or
 * database. Keywords in upper case, as every statement here is written; prose that says
 * "select from the list" does not match.
 */
const SQL_STATEMENT =
  /\bSELECT\b[\s\S]*\bFROM\b|\bINSERT\s+INTO\b|\bUPDATE\s+[\w."]+\s+SET\b|\bDELETE\s+FROM\b|\bTRUNCATE\b|\b(CREATE|DROP|ALTER)\s+(TABLE|INDEX|SCHEMA|DATABASE)\b/;

const API_SRC = 'apps/api/src/';
/** The api's edges: each decodes its own protocol and calls use cases; none leans on another. */
const EDGES = ['rest', 'grpc', 'trpc', 'ingest'] as const;
/** Where the edges are put together: the only api modules that import more than one edge. */
const COMPOSITION_ROOT = [`${API_SRC}app.ts`, `${API_SRC}main.ts`, `${API_SRC}start/`];

/**
 * Code that only tests run: test files, test helpers (`testing/`), Playwright specs and the
 * test runners' own configuration. They may reach for anything (a raw row check, a fake runner).
 */
function isTestCode(file: string): boolean {
  return (
    /\.(test|spec|pw)\.[cm]?[jt]sx?$/.test(file) ||
    /(^|\/)(testing|e2e|fixtures)\//.test(file) ||
    /(^|\/)(vitest|playwright)(\.[\w-]+)?\.config\.[cm]?[jt]s$/.test(file)
  );
}

/** Tooling that measures or drives the product from outside: exempt from the SQL rule. */
const OUTSIDE_TOOLING = ['bench/', 'tools/'];

/**
 * Entry scripts that read their process environment directly, each with its reason. Every
 * other module gets its settings from an env module (`env.ts`, packages/runtime/src/env/).
 */
const ENV_ENTRY_SCRIPTS: Record<string, string> = {
  'apps/web/server.ts': 'sets NODE_ENV for Next.js before Next loads (a write, not a setting)',
  'scripts/start.ts': '`npm start`: passes its environment, plus local defaults, to the stack',
  'scripts/process-manager/run-manager.ts': "the stack's children inherit the launcher's env",
  'scripts/cluster.ts': '`npm run cluster`: passes its environment, plus defaults, to the replicas',
  'packages/db/src/migrate/cli.ts': '`npm run migrate` takes DATABASE_URL like the services',
  'packages/db/prisma.config.ts': 'read by the Prisma CLI, outside any of our processes',
  'packages/db/scripts/generate.mjs': 'postinstall script, run by npm before anything exists',
  'tools/loadtest/src/cli.ts': "the runner's entry: hands its environment to parseCli once",
  'scripts/mutation/': 'the mutation-test driver configures the vitest runs of each mutant',
  'bench/': 'the benchmark harness starts the stack with the environment each run measures',
};

/** Product modules allowed a `testing/` import, with the reason. */
const TESTING_IMPORT_EXEMPT: Record<string, string> = {
  'packages/core/scripts/oracle.ts': 'runs the ledger oracle of the tests by hand (test:oracle)',
};

const startsWithAny = (file: string, prefixes: readonly string[]) =>
  prefixes.some((p) => (p.endsWith('/') ? file.startsWith(p) : file === p));

function scriptKind(file: string): ts.ScriptKind {
  if (file.endsWith('.tsx')) return ts.ScriptKind.TSX;
  if (/\.[cm]?js$/.test(file)) return ts.ScriptKind.JS;
  return ts.ScriptKind.TS;
}

function literalText(node: ts.Node): string | undefined {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  if (ts.isTemplateExpression(node)) {
    return node.head.text + node.templateSpans.map((s) => ` _ ${s.literal.text}`).join('');
  }
  return undefined;
}

function isProcessEnv(node: ts.Node): boolean {
  const target =
    ts.isPropertyAccessExpression(node) && node.name.text === 'env'
      ? node.expression
      : ts.isElementAccessExpression(node) &&
          ts.isStringLiteral(node.argumentExpression) &&
          node.argumentExpression.text === 'env'
        ? node.expression
        : undefined;
  return target !== undefined && ts.isIdentifier(target) && target.text === 'process';
}

function moduleSpecifier(node: ts.Node): string | undefined {
  if (
    (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) &&
    node.moduleSpecifier &&
    ts.isStringLiteral(node.moduleSpecifier)
  ) {
    return node.moduleSpecifier.text;
  }
  if (ts.isCallExpression(node) && node.arguments.length > 0) {
    const [first] = node.arguments;
    const dynamic = node.expression.kind === ts.SyntaxKind.ImportKeyword;
    const required = ts.isIdentifier(node.expression) && node.expression.text === 'require';
    if ((dynamic || required) && first && ts.isStringLiteral(first)) return first.text;
  }
  if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
    const literal = node.argument.literal;
    if (ts.isStringLiteral(literal)) return literal.text;
  }
  return undefined;
}

function factsOf(file: SourceFile): Facts {
  const source = ts.createSourceFile(
    file.path,
    file.text,
    ts.ScriptTarget.Latest,
    true,
    scriptKind(file.path),
  );
  const facts: Facts = { imports: [], envReads: [], sql: [] };
  const lineOf = (node: ts.Node) =>
    source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
  const visit = (node: ts.Node): void => {
    const specifier = moduleSpecifier(node);
    if (specifier !== undefined) facts.imports.push({ specifier, line: lineOf(node) });
    if (isProcessEnv(node)) facts.envReads.push(lineOf(node));
    const text = literalText(node);
    if (text !== undefined && !ts.isImportDeclaration(node.parent) && SQL_STATEMENT.test(text)) {
      facts.sql.push({ line: lineOf(node), text: text.trim().split('\n')[0]!.slice(0, 60) });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return facts;
}

/** A relative import as a repository path (without extension handling: prefixes suffice). */
function resolved(from: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  return path.posix.normalize(path.posix.join(path.posix.dirname(from), specifier));
}

function edgeOf(file: string): string | undefined {
  if (!file.startsWith(API_SRC)) return undefined;
  const first = file.slice(API_SRC.length).split('/')[0];
  return (EDGES as readonly string[]).includes(first ?? '') && file.includes('/', API_SRC.length)
    ? first
    : undefined;
}

type Check = (file: string, facts: Facts) => Omit<Violation, 'path'>[];

const corePure: Check = (file, facts) => {
  if (!file.startsWith('packages/core/src/') || isTestCode(file)) return [];
  return facts.imports.flatMap(({ specifier, line }) => {
    const target = resolved(file, specifier);
    const allowed = target
      ? target.startsWith('packages/core/src/')
      : CORE_DEPENDENCIES.some((d) => specifier === d || specifier.startsWith(`${d}/`));
    if (allowed) return [];
    const message = `core imports '${specifier}': it depends on zod, luxon, the ICU message libraries and its own files only`;
    return [{ rule: 'core-is-pure' as const, line, message }];
  });
};

const dbOwnsSql: Check = (file, facts) => {
  if (file.startsWith('packages/db/') || startsWithAny(file, OUTSIDE_TOOLING)) return [];
  if (isTestCode(file)) return [];
  const drivers = facts.imports.flatMap(({ specifier, line }) => {
    const target = resolved(file, specifier) ?? specifier;
    const driver =
      DATABASE_DRIVERS.test(specifier) ||
      target.startsWith('packages/db/src/generated') ||
      specifier.startsWith('@challenges/db/generated');
    if (!driver) return [];
    const message = `imports '${specifier}': only packages/db talks to the database`;
    return [{ rule: 'db-owns-sql' as const, line, message }];
  });
  const statements = facts.sql.map(({ line, text }) => ({
    rule: 'db-owns-sql' as const,
    line,
    message: `writes SQL ("${text}…"): move it into a packages/db repository`,
  }));
  return [...drivers, ...statements];
};

const noTestingInProduct: Check = (file, facts) => {
  if (isTestCode(file) || file in TESTING_IMPORT_EXEMPT) return [];
  return facts.imports.flatMap(({ specifier, line }) => {
    const target = resolved(file, specifier) ?? specifier;
    if (!/(^|\/)testing(\/|$)/.test(target)) return [];
    const message = `imports '${specifier}', a test helper, into code that ships`;
    return [{ rule: 'no-testing-in-product' as const, line, message }];
  });
};

const edgesApart: Check = (file, facts) => {
  if (!file.startsWith(API_SRC) || isTestCode(file) || startsWithAny(file, COMPOSITION_ROOT)) {
    return [];
  }
  const own = edgeOf(file);
  return facts.imports.flatMap(({ specifier, line }) => {
    const target = resolved(file, specifier);
    const other = target && edgeOf(target);
    if (!other || other === own) return [];
    const message = own
      ? `the ${own} edge imports the ${other} edge ('${specifier}'): share it through edge/`
      : `shared code imports the ${other} edge ('${specifier}'): only app.ts and start/ wire edges`;
    return [{ rule: 'edges-apart' as const, line, message }];
  });
};

const envModulesOnly: Check = (file, facts) => {
  if (facts.envReads.length === 0 || isTestCode(file)) return [];
  const envModule =
    path.posix.basename(file) === 'env.ts' || file.startsWith('packages/runtime/src/env/');
  if (envModule || startsWithAny(file, Object.keys(ENV_ENTRY_SCRIPTS))) return [];
  return facts.envReads.map((line) => ({
    rule: 'env-modules-only' as const,
    line,
    message: 'reads process.env: take the setting from the env module (env.ts) instead',
  }));
};

const CHECKS: Check[] = [corePure, dbOwnsSql, noTestingInProduct, edgesApart, envModulesOnly];

export function checkBoundaries(files: readonly SourceFile[]): Violation[] {
  return files.flatMap((file) => {
    const facts = factsOf(file);
    return CHECKS.flatMap((check) =>
      check(file.path, facts).map((v) => ({ ...v, path: file.path })),
    );
  });
}

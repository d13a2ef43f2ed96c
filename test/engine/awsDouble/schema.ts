import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";

/**
 * The shape of @pulumi/aws's resources and functions, read from the installed
 * package's own `.d.ts` files (the npm package ships no Pulumi schema.json):
 * a resource's `<Name>Args` interface gives its inputs (a property without `?`
 * is required), its class gives its outputs (`Output<T>` without `undefined`
 * is always set by the provider), and `types/input.d.ts` gives nested objects.
 * Parsed on first use of a type, so a resource another change adds is checked
 * the same way without editing this file.
 */

/** What a value may be, from its TypeScript type. */
export interface Shape {
  readonly kinds: ReadonlySet<Kind>;
  /** Element shape of a list or map. */
  readonly element?: Shape;
  /** Nested input type, `codebuild.ProjectEnvironment`, resolved from types/input.d.ts. */
  readonly ref?: string;
}
export type Kind = "string" | "number" | "boolean" | "array" | "map" | "object" | "asset" | "any";

export interface ObjectSchema {
  readonly properties: Readonly<Record<string, Shape>>;
  readonly required: readonly string[];
}

export interface ResourceSchema extends ObjectSchema {
  readonly token: string;
  /** Outputs the provider always sets (`Output<T>` without `| undefined`), with their shape. */
  readonly requiredOutputs: Readonly<Record<string, Shape>>;
}

const AWS_DIR = path.dirname(require.resolve("@pulumi/aws/package.json"));
const ANY: Shape = { kinds: new Set(["any"]) };

/** `aws:iam/role:Role` → `iam/role.d.ts`, class `Role`; `aws:index/x:y` → `x.d.ts`. */
function declarationFile(token: string): { file: string; name: string } {
  const [pkg, module, name] = token.split(":");
  if (pkg !== "aws" || module === undefined || name === undefined) {
    throw new Error(`not an aws token: ${token}`);
  }
  const [dir, file] = module.split("/");
  const rel = dir === "index" ? `${file}.d.ts` : `${dir}/${file}.d.ts`;
  return { file: path.join(AWS_DIR, rel), name };
}

const sources = new Map<string, ts.SourceFile>();
function parse(file: string, text?: string): ts.SourceFile {
  let sf = sources.get(file);
  if (!sf) {
    sf = ts.createSourceFile(
      file,
      text ?? fs.readFileSync(file, "utf8"),
      ts.ScriptTarget.Latest,
      true,
    );
    sources.set(file, sf);
  }
  return sf;
}

function isOptionalType(type: ts.TypeNode): boolean {
  const inner = unwrapInput(type);
  return (
    ts.isUnionTypeNode(inner) && inner.types.some((t) => t.kind === ts.SyntaxKind.UndefinedKeyword)
  );
}

/** `pulumi.Input<X>` / `pulumi.Output<X>` → X. */
function unwrapInput(type: ts.TypeNode): ts.TypeNode {
  if (
    ts.isTypeReferenceNode(type) &&
    /^pulumi\.(Input|Output)$/.test(type.typeName.getText()) &&
    type.typeArguments?.length === 1
  ) {
    return unwrapInput(type.typeArguments[0]);
  }
  return type;
}

/** The shape of a declared type. */
function shapeOf(type: ts.TypeNode): Shape {
  const t = unwrapInput(type);
  if (ts.isUnionTypeNode(t)) {
    const parts = t.types.filter((m) => m.kind !== ts.SyntaxKind.UndefinedKeyword).map(shapeOf);
    const kinds = new Set(parts.flatMap((p) => [...p.kinds]));
    return {
      kinds,
      element: parts.find((p) => p.element)?.element,
      ref: parts.find((p) => p.ref)?.ref,
    };
  }
  if (ts.isParenthesizedTypeNode(t)) return shapeOf(t.type);
  switch (t.kind) {
    case ts.SyntaxKind.StringKeyword:
      return { kinds: new Set(["string"]) };
    case ts.SyntaxKind.NumberKeyword:
      return { kinds: new Set(["number"]) };
    case ts.SyntaxKind.BooleanKeyword:
      return { kinds: new Set(["boolean"]) };
    default:
      // Every other kind: by the node tests below.
      break;
  }
  if (ts.isLiteralTypeNode(t)) {
    return { kinds: new Set([typeof JSON.parse(t.literal.getText()) as Kind]) };
  }
  if (ts.isArrayTypeNode(t)) return { kinds: new Set(["array"]), element: shapeOf(t.elementType) };
  if (ts.isTypeLiteralNode(t)) {
    const index = t.members.find(ts.isIndexSignatureDeclaration);
    return { kinds: new Set(["map"]), element: index ? shapeOf(index.type) : ANY };
  }
  if (ts.isTypeReferenceNode(t)) {
    const name = t.typeName.getText();
    if (/^pulumi\.asset\./.test(name)) return { kinds: new Set(["asset"]) };
    // Pulumi's enums are string (or number) unions; the SDK enum check covers their values.
    if (name.startsWith("enums.")) return { kinds: new Set(["string", "number"]) };
    if (name.startsWith("inputs.")) return { kinds: new Set(["object"]), ref: name.slice(7) };
    if (name === "Record") return { kinds: new Set(["map"]), element: ANY };
  }
  return ANY;
}

function objectSchemaOf(node: ts.InterfaceDeclaration): ObjectSchema {
  const properties: Record<string, Shape> = {};
  const required: string[] = [];
  for (const member of node.members) {
    if (!ts.isPropertySignature(member) || !member.type) continue;
    const name = member.name.getText();
    properties[name] = shapeOf(member.type);
    if (!member.questionToken) required.push(name);
  }
  return { properties, required };
}

function findInterface(sf: ts.SourceFile, name: string): ts.InterfaceDeclaration | undefined {
  return sf.statements.find(
    (s): s is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(s) && s.name.text === name,
  );
}

const resources = new Map<string, ResourceSchema>();

/** The inputs and always-set outputs of a resource type, or undefined when @pulumi/aws has no such resource. */
export function resourceSchema(token: string): ResourceSchema | undefined {
  const cached = resources.get(token);
  if (cached) return cached;
  const { file, name } = declarationFile(token);
  if (!fs.existsSync(file)) return undefined;
  const sf = parse(file);
  const cls = sf.statements.find(
    (s): s is ts.ClassDeclaration => ts.isClassDeclaration(s) && s.name?.text === name,
  );
  const args = findInterface(sf, `${name}Args`);
  if (!cls) return undefined;
  const requiredOutputs: Record<string, Shape> = {};
  for (const member of cls.members) {
    if (!ts.isPropertyDeclaration(member) || !member.type) continue;
    const isStatic = member.modifiers?.some((m) => m.kind === ts.SyntaxKind.StaticKeyword);
    if (isStatic || isOptionalType(member.type)) continue;
    requiredOutputs[member.name.getText()] = shapeOf(member.type);
  }
  const schema = {
    token,
    ...(args ? objectSchemaOf(args) : { properties: {}, required: [] }),
    requiredOutputs,
  };
  resources.set(token, schema);
  return schema;
}

/** The arguments of a function (`aws:ssm/getParameter:getParameter`), or undefined when unknown. */
export function functionArgsSchema(token: string): ObjectSchema | undefined {
  const { file, name } = declarationFile(token);
  if (!fs.existsSync(file)) return undefined;
  const args = findInterface(parse(file), `${name[0].toUpperCase()}${name.slice(1)}Args`);
  return args ? objectSchemaOf(args) : { properties: {}, required: [] };
}

// types/input.d.ts is 5.7 MB: only the namespaces a check needs are parsed.
const INPUT_TYPES = path.join(AWS_DIR, "types", "input.d.ts");
let inputText: string | undefined;
const nested = new Map<string, ObjectSchema | undefined>();

/** A nested input type such as `codebuild.ProjectEnvironment`, from types/input.d.ts. */
export function nestedSchema(ref: string): ObjectSchema | undefined {
  if (nested.has(ref)) return nested.get(ref);
  const [namespace, name] = ref.split(".");
  inputText ??= fs.readFileSync(INPUT_TYPES, "utf8");
  const start = inputText.indexOf(`\nexport declare namespace ${namespace} {\n`);
  let schema: ObjectSchema | undefined;
  if (start >= 0) {
    const end = inputText.indexOf("\n}\n", start);
    const sf = parse(`${INPUT_TYPES}#${namespace}`, inputText.slice(start, end + 3));
    const ns = sf.statements.find(ts.isModuleDeclaration);
    const body = ns?.body && ts.isModuleBlock(ns.body) ? ns.body : undefined;
    const decl = body?.statements.find(
      (s): s is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(s) && s.name.text === name,
    );
    schema = decl ? objectSchemaOf(decl) : undefined;
  }
  nested.set(ref, schema);
  return schema;
}

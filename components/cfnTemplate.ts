import { readFileSync } from "fs";
import * as path from "path";
import { kindOfCfnType } from "./appKinds";

/*
 * A CloudFormation or SAM template as silkroute reads it: parsed from JSON
 * or YAML (short-form tags such as !Ref, !Sub and !GetAtt become their
 * long forms, as `aws cloudformation package` reads them), its resources
 * with the line each starts on, its transforms, and the kinds of resource
 * it creates (nested templates included).
 */

/** yaml-cfn (and the js-yaml it brings), loaded for the first YAML template: most plans read none. */
// eslint-disable-next-line @typescript-eslint/no-require-imports -- module node16 emits a require() as written
const yamlCfn = () => require("yaml-cfn") as typeof import("yaml-cfn");

export interface TemplateResource {
  readonly logicalId: string;
  readonly type: string;
  readonly properties: Record<string, unknown>;
  /** 1-based line of the resource's declaration in its file. */
  readonly line: number;
}

export interface CfnTemplate {
  readonly file: string;
  readonly text: string;
  readonly body: Record<string, unknown>;
  readonly resources: readonly TemplateResource[];
  /** `AWS::Serverless-2016-10-31`, … */
  readonly transforms: readonly string[];
}

/** A template that cannot be read or parsed: the message names the file and what is wrong. */
export class TemplateError extends Error {
  override readonly name = "TemplateError";
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** Parses template text (JSON or YAML with CloudFormation tags). */
export function parseTemplate(text: string, file: string): CfnTemplate {
  let body: unknown;
  try {
    body = text.trimStart().startsWith("{") ? JSON.parse(text) : yamlCfn().yamlParse(text);
  } catch (error) {
    const why = (error as Error).message.split("\n")[0];
    throw new TemplateError(`${file} is neither JSON nor CloudFormation YAML: ${why}`);
  }
  if (!isObject(body) || !isObject(body.Resources)) {
    throw new TemplateError(
      `${file} has no Resources section: it is not a CloudFormation template`,
    );
  }
  const lines = text.split(/\r?\n/);
  const lineOf = (id: string) => {
    const escaped = id.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    const yaml = new RegExp(`^\\s*["']?${escaped}["']?\\s*:`);
    const json = new RegExp(`"${escaped}"\\s*:\\s*\\{`);
    const at = lines.findIndex((l) => yaml.test(l) || json.test(l));
    return at < 0 ? 1 : at + 1;
  };
  const resources = Object.entries(body.Resources).map(([logicalId, value]) => {
    if (!isObject(value) || typeof value.Type !== "string") {
      throw new TemplateError(`${file}: resource ${logicalId} has no Type`);
    }
    return {
      logicalId,
      type: value.Type,
      properties: isObject(value.Properties) ? value.Properties : {},
      line: lineOf(logicalId),
    };
  });
  const transform = body.Transform;
  const transforms = (Array.isArray(transform) ? transform : [transform]).filter(
    (t): t is string => typeof t === "string",
  );
  return { file, text, body, resources, transforms };
}

/** Reads and parses a template file. */
export function readTemplate(file: string): CfnTemplate {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "unreadable";
    throw new TemplateError(`cannot read the template ${file} (${code})`);
  }
  return parseTemplate(text, file);
}

/** A local nested template (`AWS::CloudFormation::Stack` TemplateURL that is a path), resolved. */
export function nestedTemplateFile(resource: TemplateResource, templateFile: string) {
  const url = resource.properties.TemplateURL;
  if (resource.type !== "AWS::CloudFormation::Stack" || typeof url !== "string") return undefined;
  if (/^(https?|s3):\/\//.test(url)) return undefined;
  return path.resolve(path.dirname(templateFile), url);
}

/**
 * What a template's resources are made of, nested templates included:
 * each type's kind, SAM's functions and state machines with the roles SAM
 * creates for them when none is given; `stack` for the app's own stack.
 */
export function templateKinds(template: CfnTemplate): string[] {
  const kinds = new Set<string>(["stack"]);
  for (const r of withNested(template).flatMap((t) => t.resources)) {
    const kind = kindOfCfnType(r.type);
    if (kind) kinds.add(kind.name);
    const samWithRole =
      r.type === "AWS::Serverless::Function" || r.type === "AWS::Serverless::StateMachine";
    if (samWithRole && r.properties.Role === undefined) kinds.add("role");
  }
  return [...kinds];
}

/** The template and every local template it nests, however deep (each read as it is reached). */
export function withNested(template: CfnTemplate): CfnTemplate[] {
  return [
    template,
    ...template.resources.flatMap((r) => {
      const nested = nestedTemplateFile(r, template.file);
      return nested ? withNested(readTemplate(nested)) : [];
    }),
  ];
}

/**
 * The name a transform's ARN takes (`transform/Serverless-2016-10-31` for
 * `AWS::Serverless-2016-10-31`), for the permission to create change sets
 * through it.
 */
export function transformName(transform: string): string {
  return transform.replace(/^AWS::/, "");
}

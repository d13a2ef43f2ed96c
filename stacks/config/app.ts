import * as path from "path";
import { z } from "zod";
import { kindProblem } from "../../components/appKinds";
import {
  CfnTemplate,
  readTemplate,
  TemplateError,
  templateKinds,
  transformName,
} from "../../components/cfnTemplate";
import { templateSettingsProblem } from "../cfnChecks";
import { ConfigError, setCommand } from "./read";
import { CFN_CAPABILITIES } from "../../components/cfnEnums";

/*
 * `silkroute:app` in Pulumi.global.yaml: which app the pipeline deploys.
 * Absent, the sample (stacks/app.ts); else a Pulumi program module or a
 * CloudFormation / SAM template, with what it manages and what its
 * functions may call, from which the deploy identities' permissions and the
 * app boundary are generated.
 */

const kind = z.string().superRefine((name, ctx) => {
  const problem = kindProblem(name);
  if (problem !== undefined)
    ctx.addIssue({ code: "custom", message: `must be a kind: ${problem}` });
});

/** A path inside the project folder, as Pulumi.global.yaml names it. */
const projectPath = z
  .string()
  .min(1)
  .refine((p) => !p.startsWith("/") && !p.split(/[\\/]/).includes(".."), {
    error: "must be a path inside the project folder (relative, no ..)",
  });

const cloudformation = z.strictObject({
  /** The template, JSON or YAML (short-form tags such as !Ref and !Sub included). */
  template: projectPath.refine((p) => /\.(json|ya?ml|template)$/.test(p), {
    error: "must be a .json, .yaml, .yml or .template file",
  }),
  /** Parameter values by name; numbers and booleans as CloudFormation takes them, as strings. */
  parameters: z
    .record(
      z.string().regex(/^[A-Za-z0-9]{1,255}$/, {
        error: "is no template parameter name (1-255 letters and digits)",
      }),
      z
        .union([z.string(), z.number(), z.boolean()], {
          error: "must be a string, a number or true/false",
        })
        .transform(String),
    )
    .default({}),
  /** Capabilities the stack acknowledges; default: those the template needs. */
  capabilities: z
    .array(
      z.string().refine((c) => CFN_CAPABILITIES.includes(c), {
        error: `must be one of ${CFN_CAPABILITIES.join(", ")}`,
      }),
    )
    .optional(),
});

export const appConfigSchema = z
  .strictObject({
    /** A Pulumi program module (.ts or compiled .js) exporting one function of a TargetContext. */
    program: projectPath
      .refine((p) => /\.(ts|js|cjs)$/.test(p), { error: "must be a .ts, .js or .cjs file" })
      .optional(),
    /** A CloudFormation or SAM template, packaged and deployed as one stack per target. */
    cloudformation: cloudformation.optional(),
    /**
     * Kinds of resource the app manages besides its functions, roles and
     * log groups (queue, topic, table, bucket, api, event-rule, alarm,
     * state-machine, or <service>:<resourceType>); a template's are found
     * in it. Default none.
     */
    manages: z.array(kind).default([]),
    /** Kinds of the app's own resources its functions may call (the permissions boundary); default none. */
    functionsUse: z.array(kind).default([]),
  })
  .refine((a) => a.program === undefined || a.cloudformation === undefined, {
    error: "names both a program and a cloudformation template: keep one",
  });

export type AppConfig = z.output<typeof appConfigSchema>;

/** The app as the rest of silkroute sees it. */
export type AppSource =
  | { readonly kind: "sample" }
  | { readonly kind: "program"; readonly program: string }
  | {
      readonly kind: "cloudformation";
      readonly template: string;
      readonly parameters: Readonly<Record<string, string>>;
      readonly capabilities?: readonly string[];
    };

export interface ResolvedApp {
  readonly source: AppSource;
  readonly manages: readonly string[];
  readonly functionsUse: readonly string[];
}

/** The resolved app of a config: the sample when `silkroute:app` is absent. */
export function resolveApp(app: AppConfig | undefined): ResolvedApp {
  const manages = app?.manages ?? [];
  const functionsUse = app?.functionsUse ?? [];
  if (app?.program !== undefined) {
    return { source: { kind: "program", program: app.program }, manages, functionsUse };
  }
  if (app?.cloudformation !== undefined) {
    const { template, parameters, capabilities } = app.cloudformation;
    return {
      source: { kind: "cloudformation", template, parameters, capabilities },
      manages,
      functionsUse,
    };
  }
  return { source: { kind: "sample" }, manages, functionsUse };
}

/** What the deploy identities' app statements and the app boundary are generated from. */
export interface AppPermissionNeeds {
  /** Kinds the app manages (appKinds.ts names): configured, and a template's own. */
  readonly kinds: readonly string[];
  /** CloudFormation transforms its template uses, by ARN name (`Serverless-2016-10-31`). */
  readonly transforms: readonly string[];
  /** Kinds its functions may call (the app boundary). */
  readonly functionsUse: readonly string[];
}

/**
 * The app's needs: its configured kinds, and for a template the kinds and
 * transforms found in it (nested templates included), read from
 * `projectDir`. A template that cannot be read is a ConfigError.
 */
export function appPermissionNeeds(app: ResolvedApp, projectDir: string): AppPermissionNeeds {
  const kinds = new Set(app.manages);
  let transforms: string[] = [];
  if (app.source.kind === "cloudformation") {
    withAppTemplate(app.source.template, projectDir, (template) => {
      templateKinds(template).forEach((k) => kinds.add(k));
      transforms = template.transforms.map(transformName);
    });
  }
  return { kinds: [...kinds], transforms, functionsUse: [...app.functionsUse] };
}

/**
 * A CloudFormation app's parameters and capabilities checked against its
 * template, before any stack runs: a ConfigError naming the key and the
 * command that fixes it (the app stacks' programs would fail alike, later).
 */
export function checkAppTemplate(app: ResolvedApp, projectDir: string): void {
  const { source } = app;
  if (source.kind !== "cloudformation") return;
  const problem = withAppTemplate(source.template, projectDir, (template) =>
    templateSettingsProblem(template, source),
  );
  if (problem !== undefined) throw new ConfigError(problem);
}

/**
 * `use` of the app's template, which reads the templates it nests as it needs them: a template
 * that cannot be read, the app's own or a nested one, is a ConfigError.
 */
function withAppTemplate<T>(file: string, projectDir: string, use: (t: CfnTemplate) => T): T {
  let template: CfnTemplate;
  try {
    template = readTemplate(path.resolve(projectDir, file));
  } catch (error) {
    throw new ConfigError(
      `silkroute:app.cloudformation.template: ${(error as Error).message}. Point it at the template, a path in the project, e.g.: ${setCommand(["app", "cloudformation", "template"], "app/template.yaml", "global")}`,
    );
  }
  try {
    return use(template);
  } catch (error) {
    if (!(error instanceof TemplateError)) throw error;
    throw new ConfigError(
      `silkroute:app.cloudformation.template: ${error.message}, a template ${file} nests: fix the TemplateURL that names it (a path relative to ${file})`,
    );
  }
}

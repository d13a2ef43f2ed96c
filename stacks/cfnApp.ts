import * as aws from "../components/aws";
import * as pulumi from "@pulumi/pulumi";
import * as path from "path";
import { CfnTemplate, readTemplate, TemplateError } from "../components/cfnTemplate";
import { appCodeFolder } from "../components/naming";
import { endpointHost } from "../components/partition";
import type { AppOutputs, TargetContext } from "./appContext";
import { GLOBAL_CONFIG_EXAMPLES } from "./config/global";
import { removeCommand, setCommand } from "./config/read";
import { isObject, packageTemplate, Packager, upload } from "./cfnPackage";

/*
 * A CloudFormation or SAM template as the app: packaged the way
 * `aws cloudformation package` packages it (local artifacts zipped or
 * uploaded to the target partition's artifact bucket, under the
 * environment's code folder and the version; nested templates packaged in
 * turn), and deployed as one aws.cloudformation.Stack with the target's
 * provider, so CloudFormation acts with the target's deploy identity.
 */

/** TemplateBody's limit (CloudFormation API reference, CreateStack); larger ones go by TemplateURL. */
export const MAX_TEMPLATE_BODY_BYTES = 51_200;

/** Parameters silkroute fills when the template declares them. */
export function silkrouteParameters(ctx: TargetContext): Record<string, pulumi.Input<string>> {
  return {
    SilkrouteEnv: ctx.env,
    SilkrouteTarget: ctx.target,
    SilkroutePrefix: ctx.prefix,
    SilkrouteVersion: ctx.version,
    SilkroutePermissionsBoundary: ctx.permissionsBoundaryArn,
  };
}

/** The name of the app's stack in each target: `<prefix>-<env>-app`. */
export function appStackName(prefix: string): string {
  return `${prefix}-app`;
}

const IAM_TYPES =
  /^AWS::IAM::(AccessKey|Group|InstanceProfile|ManagedPolicy|Policy|Role|User|UserToGroupAddition)$/;
const NAMED_IAM: Record<string, string> = {
  "AWS::IAM::Role": "RoleName",
  "AWS::IAM::User": "UserName",
  "AWS::IAM::Group": "GroupName",
  "AWS::IAM::ManagedPolicy": "ManagedPolicyName",
  "AWS::IAM::InstanceProfile": "InstanceProfileName",
};

/**
 * The capabilities CloudFormation asks of this template (CreateStack's
 * Capabilities): AUTO_EXPAND for a transform or a nested stack, IAM for IAM
 * resources (SAM functions without a Role create one), NAMED_IAM for named ones.
 */
export function requiredCapabilities(template: CfnTemplate): string[] {
  const caps = new Set<string>();
  if (template.transforms.length > 0) caps.add("CAPABILITY_AUTO_EXPAND");
  for (const r of template.resources) {
    if (r.type === "AWS::CloudFormation::Stack") caps.add("CAPABILITY_AUTO_EXPAND");
    const samRole =
      (r.type === "AWS::Serverless::Function" || r.type === "AWS::Serverless::StateMachine") &&
      r.properties.Role === undefined;
    if (IAM_TYPES.test(r.type) || samRole) caps.add("CAPABILITY_IAM");
    const nameKey = NAMED_IAM[r.type];
    if (nameKey !== undefined && r.properties[nameKey] !== undefined) {
      caps.add("CAPABILITY_NAMED_IAM");
    }
  }
  return [...caps].sort();
}

/** What the CloudFormation app takes from `silkroute:app.cloudformation`. */
export interface CloudFormationAppArgs {
  /** The template file (absolute, or relative to `baseDir`). */
  readonly template: string;
  readonly parameters: Readonly<Record<string, string>>;
  /** @default requiredCapabilities(template) */
  readonly capabilities?: readonly string[];
  /** The target's artifact bucket, by name. */
  readonly artifactBucket: string;
  /** Resolves a relative template path. */
  readonly baseDir: string;
}

/**
 * The app's stack in one target: the packaged template (by TemplateBody, or
 * uploaded and by TemplateURL past 51,200 bytes), its parameters
 * (configured, and the Silkroute* ones it declares), the capabilities it
 * needs, silkroute's tags (CloudFormation passes them to the resources that
 * take tags). Outputs: `version`, the stack's name and its outputs.
 */
export function cloudformationApp(ctx: TargetContext, args: CloudFormationAppArgs): AppOutputs {
  const fail = (message: string) =>
    new pulumi.RunError(`app stack ${ctx.env}/${ctx.target}: ${message}`);
  let template: CfnTemplate;
  const p: Packager = { ctx, bucket: args.artifactBucket, objects: [] };
  let body: Record<string, unknown>;
  try {
    template = readTemplate(path.resolve(args.baseDir, args.template));
    body = packageTemplate(p, template, "");
  } catch (error) {
    if (error instanceof TemplateError) throw fail(error.message);
    throw error;
  }
  const required = requiredCapabilities(template);
  const capabilities = args.capabilities ?? required;
  const missing = required.filter((c) => !capabilities.includes(c));
  if (missing.length > 0) {
    throw fail(
      `${template.file} needs ${missing.join(", ")}: add it to silkroute:app.cloudformation.capabilities (${setCommand(["app", "cloudformation", "capabilities", capabilities.length], missing[0]!, "global")})`,
    );
  }
  const declared = isObject(template.body.Parameters) ? template.body.Parameters : {};
  const own = silkrouteParameters(ctx);
  const clash = Object.keys(args.parameters).find((k) => k in own);
  if (clash !== undefined) {
    throw fail(
      `parameter ${clash} is silkroute's to set: remove it from silkroute:app.cloudformation.parameters (${removeCommand(["app", "cloudformation", "parameters", clash], "global")})`,
    );
  }
  const unknown = Object.keys(args.parameters).find((k) => !(k in declared));
  if (unknown !== undefined) {
    throw fail(
      `silkroute:app.cloudformation.parameters.${unknown} is not a parameter of ${template.file}. Run: ${removeCommand(["app", "cloudformation", "parameters", unknown], "global")}`,
    );
  }
  const parameters: Record<string, pulumi.Input<string>> = { ...args.parameters };
  for (const [name, value] of Object.entries(own)) if (name in declared) parameters[name] = value;
  const unset = Object.entries(declared)
    .filter(
      ([name, spec]) => parameters[name] === undefined && !(isObject(spec) && "Default" in spec),
    )
    .map(([name]) => name);
  if (unset.length > 0) {
    throw fail(
      `${template.file} has parameters without a value or a Default: ${unset.join(", ")}. Set each to its value, e.g.: ${setCommand(["app", "cloudformation", "parameters", unset[0]!], String(GLOBAL_CONFIG_EXAMPLES["app.cloudformation.parameters.<name>"]), "global")}`,
    );
  }
  const text = JSON.stringify(body);
  const large = Buffer.byteLength(text, "utf8") > MAX_TEMPLATE_BODY_BYTES;
  const templateKey = `${appCodeFolder(ctx.prefix)}${ctx.version}/template.json`;
  if (large) upload(p, "cfn-template", templateKey, new pulumi.asset.StringAsset(text));
  const name = appStackName(ctx.prefix);
  const stack = new aws.cloudformation.Stack(
    "app-stack",
    {
      name,
      ...(large
        ? {
            templateUrl: `https://${endpointHost("s3", ctx.region)}/${args.artifactBucket}/${templateKey}`,
          }
        : { templateBody: text }),
      parameters,
      capabilities: [...capabilities],
      tags: { ...ctx.tags },
    },
    { provider: ctx.provider, dependsOn: p.objects },
  );
  return { version: ctx.version, stackName: name, stackOutputs: stack.outputs };
}

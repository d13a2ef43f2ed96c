import * as aws from "../components/aws";
import * as pulumi from "@pulumi/pulumi";
import * as path from "path";
import { CfnTemplate, readTemplate, TemplateError } from "../components/cfnTemplate";
import { appCodeFolder } from "../components/naming";
import { endpointHost } from "../components/partition";
import type { AppOutputs, TargetContext } from "./appContext";
import {
  declaredParameters,
  requiredCapabilities,
  SILKROUTE_PARAMETERS,
  templateSettingsProblem,
} from "./cfnChecks";
import { packageTemplate, Packager, upload } from "./cfnPackage";

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

/** The values of the parameters silkroute fills when the template declares them. */
function silkrouteParameters(
  ctx: TargetContext,
): Record<(typeof SILKROUTE_PARAMETERS)[number], pulumi.Input<string>> {
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

/** What the CloudFormation app takes from `silkroute:app.cloudformation`. */
export interface CloudFormationAppArgs {
  /** The template file (absolute, or relative to `baseDir`). */
  readonly template: string;
  readonly parameters: Readonly<Record<string, string>>;
  /** @default requiredCapabilities(template) (cfnChecks.ts) */
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
  const problem = templateSettingsProblem(template, args);
  if (problem !== undefined) throw fail(problem);
  const declared = declaredParameters(template);
  const parameters: Record<string, pulumi.Input<string>> = { ...args.parameters };
  for (const [name, value] of Object.entries(silkrouteParameters(ctx))) {
    if (name in declared) parameters[name] = value;
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
      capabilities: [...(args.capabilities ?? requiredCapabilities(template))],
      tags: { ...ctx.tags },
    },
    { provider: ctx.provider, dependsOn: p.objects },
  );
  return { version: ctx.version, stackName: name, stackOutputs: stack.outputs };
}

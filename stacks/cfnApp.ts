import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as fs from "fs";
import * as path from "path";
import { CfnTemplate, readTemplate, TemplateError } from "../components/cfnTemplate";
import { appCodeFolder } from "../components/naming";
import { endpointHost } from "../components/partition";
import type { AppOutputs, TargetContext } from "./appContext";

/*
 * A CloudFormation or SAM template as the app: packaged the way
 * `aws cloudformation package` packages it (local artifacts zipped or
 * uploaded to the target partition's artifact bucket, under the
 * environment's code folder and the version; nested templates packaged in
 * turn), and deployed as one aws.cloudformation.Stack with the target's
 * provider, so CloudFormation acts with the target's deploy identity.
 */

/** Where `aws cloudformation package` finds local artifacts, and what it puts there. */
interface Packaged {
  readonly type: string;
  /** Property path (`Command.ScriptLocation` for a nested one). */
  readonly property: string;
  /** `url`: `s3://bucket/key`; a record: the S3 location's own field names. */
  readonly form: "url" | { bucket: string; key: string };
  /** A file that is not a zip is zipped (code). */
  readonly zip: boolean;
  /** Absent, the template's folder is packaged (Lambda code). */
  readonly whenAbsent: boolean;
}

/** The properties `aws cloudformation package` packages (AWS CLI reference, cloudformation package). */
export const PACKAGED: readonly Packaged[] = [
  {
    type: "AWS::Serverless::Function",
    property: "CodeUri",
    form: "url",
    zip: true,
    whenAbsent: true,
  },
  {
    type: "AWS::Lambda::Function",
    property: "Code",
    form: { bucket: "S3Bucket", key: "S3Key" },
    zip: true,
    whenAbsent: true,
  },
  {
    type: "AWS::Lambda::LayerVersion",
    property: "Content",
    form: { bucket: "S3Bucket", key: "S3Key" },
    zip: true,
    whenAbsent: true,
  },
  {
    type: "AWS::Serverless::LayerVersion",
    property: "ContentUri",
    form: "url",
    zip: true,
    whenAbsent: true,
  },
  {
    type: "AWS::Serverless::Api",
    property: "DefinitionUri",
    form: "url",
    zip: false,
    whenAbsent: false,
  },
  {
    type: "AWS::Serverless::HttpApi",
    property: "DefinitionUri",
    form: "url",
    zip: false,
    whenAbsent: false,
  },
  {
    type: "AWS::Serverless::StateMachine",
    property: "DefinitionUri",
    form: "url",
    zip: false,
    whenAbsent: false,
  },
  {
    type: "AWS::ApiGateway::RestApi",
    property: "BodyS3Location",
    form: { bucket: "Bucket", key: "Key" },
    zip: false,
    whenAbsent: false,
  },
  {
    type: "AWS::StepFunctions::StateMachine",
    property: "DefinitionS3Location",
    form: { bucket: "Bucket", key: "Key" },
    zip: false,
    whenAbsent: false,
  },
  {
    type: "AWS::AppSync::GraphQLSchema",
    property: "DefinitionS3Location",
    form: "url",
    zip: false,
    whenAbsent: false,
  },
  {
    type: "AWS::AppSync::Resolver",
    property: "RequestMappingTemplateS3Location",
    form: "url",
    zip: false,
    whenAbsent: false,
  },
  {
    type: "AWS::AppSync::Resolver",
    property: "ResponseMappingTemplateS3Location",
    form: "url",
    zip: false,
    whenAbsent: false,
  },
  {
    type: "AWS::AppSync::FunctionConfiguration",
    property: "RequestMappingTemplateS3Location",
    form: "url",
    zip: false,
    whenAbsent: false,
  },
  {
    type: "AWS::AppSync::FunctionConfiguration",
    property: "ResponseMappingTemplateS3Location",
    form: "url",
    zip: false,
    whenAbsent: false,
  },
  {
    type: "AWS::ElasticBeanstalk::ApplicationVersion",
    property: "SourceBundle",
    form: { bucket: "S3Bucket", key: "S3Key" },
    zip: false,
    whenAbsent: false,
  },
  {
    type: "AWS::Glue::Job",
    property: "Command.ScriptLocation",
    form: "url",
    zip: false,
    whenAbsent: false,
  },
];

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

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);
const isRemote = (v: string) => /^(s3|https?):\/\//.test(v);

interface Packager {
  readonly ctx: TargetContext;
  /** The artifact bucket: known by name, so the packaged template is plain text. */
  readonly bucket: string;
  readonly objects: aws.s3.BucketObjectv2[];
}

function upload(
  p: Packager,
  name: string,
  key: string,
  source: pulumi.asset.Asset | pulumi.asset.Archive,
): aws.s3.BucketObjectv2 {
  const object = new aws.s3.BucketObjectv2(
    name,
    { bucket: p.bucket, key, source },
    // Each version is a new key: keep the previous one (the driver prunes).
    { provider: p.ctx.provider, retainOnDelete: true },
  );
  p.objects.push(object);
  return object;
}

/** The template's body with every local artifact uploaded and its property pointing there. */
function packageTemplate(
  p: Packager,
  template: CfnTemplate,
  trail: string,
): Record<string, unknown> {
  const body = structuredClone(template.body) as Record<string, unknown>;
  const resources = body.Resources as Record<string, Record<string, unknown>>;
  const dir = path.dirname(template.file);
  const folder = `${appCodeFolder(p.ctx.prefix)}${p.ctx.version}/`;
  for (const r of template.resources) {
    const props = (resources[r.logicalId].Properties ??= {}) as Record<string, unknown>;
    for (const spec of PACKAGED.filter((s) => s.type === r.type)) {
      const keys = spec.property.split(".");
      const holder = keys
        .slice(0, -1)
        .reduce<Record<string, unknown> | undefined>(
          (at, k) => (isObject(at?.[k]) ? (at[k] as Record<string, unknown>) : undefined),
          props,
        );
      const last = keys[keys.length - 1];
      const value = holder?.[last];
      if (holder === undefined || isObject(value) || Array.isArray(value)) continue;
      if (typeof value === "string" && isRemote(value)) continue;
      if (value === undefined && (!spec.whenAbsent || props.InlineCode !== undefined)) continue;
      const local = path.resolve(dir, typeof value === "string" ? value : ".");
      if (!fs.existsSync(local)) {
        throw new TemplateError(
          `${template.file}: ${r.logicalId}.${spec.property} is ${JSON.stringify(value)}, which is neither an S3 location nor a file or folder (${local})`,
        );
      }
      const isDir = fs.statSync(local).isDirectory();
      const isZip = !isDir && local.endsWith(".zip");
      const zipped = isDir || (spec.zip && !isZip);
      const source: pulumi.asset.Asset | pulumi.asset.Archive = isDir
        ? new pulumi.asset.FileArchive(local)
        : zipped
          ? new pulumi.asset.AssetArchive({
              [path.basename(local)]: new pulumi.asset.FileAsset(local),
            })
          : isZip
            ? new pulumi.asset.FileArchive(local)
            : new pulumi.asset.FileAsset(local);
      const ext = zipped || isZip ? ".zip" : path.extname(local);
      const id = `${trail}${r.logicalId}-${keys.join("-")}`;
      upload(p, `cfn-${id}`, `${folder}${id}${ext}`, source);
      const key = `${folder}${id}${ext}`;
      holder[last] =
        spec.form === "url"
          ? `s3://${p.bucket}/${key}`
          : { [spec.form.bucket]: p.bucket, [spec.form.key]: key };
    }
    const url = props.TemplateURL;
    if (r.type === "AWS::CloudFormation::Stack" && typeof url === "string" && !isRemote(url)) {
      const nested = readTemplate(path.resolve(dir, url));
      const packaged = packageTemplate(p, nested, `${trail}${r.logicalId}-`);
      const key = `${folder}${trail}${r.logicalId}.template.json`;
      upload(
        p,
        `cfn-${trail}${r.logicalId}-template`,
        key,
        new pulumi.asset.StringAsset(JSON.stringify(packaged)),
      );
      // TemplateURL takes a path-style S3 URL.
      props.TemplateURL = `https://${endpointHost("s3", p.ctx.region)}/${p.bucket}/${key}`;
    }
  }
  return body;
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
      `${template.file} needs ${missing.join(", ")}: add it to silkroute:app.cloudformation.capabilities (pulumi config set --path 'silkroute:app.cloudformation.capabilities[${capabilities.length}]' ${missing[0]} --stack global)`,
    );
  }
  const declared = isObject(template.body.Parameters) ? template.body.Parameters : {};
  const own = silkrouteParameters(ctx);
  const clash = Object.keys(args.parameters).find((k) => k in own);
  if (clash !== undefined) {
    throw fail(
      `parameter ${clash} is silkroute's to set: remove it from silkroute:app.cloudformation.parameters`,
    );
  }
  const unknown = Object.keys(args.parameters).find((k) => !(k in declared));
  if (unknown !== undefined) {
    throw fail(
      `silkroute:app.cloudformation.parameters.${unknown} is not a parameter of ${template.file}: remove it`,
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
      `${template.file} has parameters without a value or a Default: ${unset.join(", ")}. Run: pulumi config set --path 'silkroute:app.cloudformation.parameters.${unset[0]}' <value> --stack global`,
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

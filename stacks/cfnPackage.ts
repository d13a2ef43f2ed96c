import { entryOf } from "../components/lookup";
import * as aws from "../components/aws";
import * as pulumi from "@pulumi/pulumi";
import * as fs from "fs";
import * as path from "path";
import { CfnTemplate, readTemplate, TemplateError } from "../components/cfnTemplate";
import { appCodeFolder } from "../components/naming";
import { endpointHost } from "../components/partition";
import type { TargetContext } from "./appContext";

/*
 * Packaging a template the way `aws cloudformation package` does: each
 * local artifact uploaded to the target partition's artifact bucket under
 * the environment's code folder and the version (folders and code files
 * zipped), its property pointing there; nested templates packaged in turn.
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

export const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);
const isRemote = (v: string) => /^(s3|https?):\/\//.test(v);

export interface Packager {
  readonly ctx: TargetContext;
  /** The artifact bucket: known by name, so the packaged template is plain text. */
  readonly bucket: string;
  readonly objects: aws.s3.BucketObjectv2[];
}

export function upload(
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
export function packageTemplate(
  p: Packager,
  template: CfnTemplate,
  trail: string,
): Record<string, unknown> {
  const body = structuredClone(template.body) as Record<string, unknown>;
  const resources = body.Resources as Record<string, Record<string, unknown>>;
  const dir = path.dirname(template.file);
  const folder = `${appCodeFolder(p.ctx.prefix)}${p.ctx.version}/`;
  for (const r of template.resources) {
    const props = (entryOf(resources, r.logicalId, `${template.file}: the resource`).Properties ??=
      {}) as Record<string, unknown>;
    for (const spec of PACKAGED.filter((s) => s.type === r.type)) {
      const keys = spec.property.split(".");
      const holder = keys
        .slice(0, -1)
        .reduce<Record<string, unknown> | undefined>(
          (at, k) => (isObject(at?.[k]) ? (at[k] as Record<string, unknown>) : undefined),
          props,
        );
      const last = keys[keys.length - 1]!;
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

import * as crypto from "crypto";
import type { ResourceSchema } from "./schema";
import { reveal, Wire } from "./values";

/** Where a resource is created: from the provider's configuration and the resource's `region`. */
export interface Placement {
  readonly region: string;
  readonly account: string;
  readonly partition: string;
  readonly dnsSuffix: string;
}

/**
 * How AWS names, identifies and changes each resource type silkroute uses.
 *
 * `replaceOn`: inputs AWS has no API to change in place, so a change replaces
 * the resource. From the Terraform AWS provider's resource docs ("Forces new
 * resource"), which @pulumi/aws is generated from, and the service APIs:
 * - s3 Bucket: `bucket`, `bucketPrefix`, `objectLockEnabled` (S3 has no rename).
 * - s3 bucket sub-resources (versioning, encryption, public access block,
 *   ownership controls, lifecycle, policy): `bucket`, `expectedBucketOwner`.
 * - s3 BucketObjectv2: `bucket`, `key` (an object is addressed by them).
 * - iam Role: `name`, `namePrefix`, `path` (IAM has no UpdateRole rename).
 * - iam User, Group: none — UpdateUser / UpdateGroup change name and path in place.
 * - iam Policy: `name`, `namePrefix`, `path`, `description` (CreatePolicyVersion changes only the document).
 * - iam AccessKey: `user`, `pgpKey` (a key belongs to one user; its secret is shown once).
 * - iam GroupMembership: `name`, `group`; GroupPolicy: `group`, `name`, `namePrefix`;
 *   RolePolicy: `role`, `name`, `namePrefix`; RolePolicyAttachment: `role`, `policyArn`.
 * - kms Key: `customerMasterKeySpec`, `keyUsage`, `multiRegion`, `customKeyStoreId`, `xksKeyId`.
 * - kms Alias: `name`, `namePrefix` (UpdateAlias changes only the target key).
 * - ssm Parameter: `name` (SSM has no rename).
 * - lambda Function: `name`, `packageType`.
 * - cloudwatch LogGroup: `name`, `namePrefix`, `logGroupClass`.
 * - codebuild Project: `name`; Webhook: `projectName`.
 * - codecommit Repository: none (UpdateRepositoryName renames in place).
 * - codeconnections Connection: `name`, `providerType`, `hostArn`.
 * - codepipeline Pipeline: `name`.
 * - cloudwatch EventRule: `name`, `namePrefix`, `eventBusName`; EventTarget: `rule`, `targetId`, `eventBusName`.
 * - sns Topic: `name`, `namePrefix`, `fifoTopic`; TopicPolicy: `arn`; TopicSubscription: `topic`,
 *   `protocol`, `endpoint` (SetSubscriptionAttributes changes only the attributes).
 * - scheduler Schedule: `name`, `namePrefix`, `groupName` (UpdateSchedule changes the rest).
 * - codestarnotifications NotificationRule: `resource` (UpdateNotificationRule changes the rest).
 * - every regional resource: `region` (provider 7's per-resource Region).
 */
export interface TypeRule {
  /** The input that names the resource; Pulumi auto-names it when it is optional and absent. */
  readonly nameInput?: string;
  readonly replaceOn: readonly string[];
  /**
   * Where AWS keeps the name unique: a second resource of that name there is
   * refused (EntityAlreadyExists, BucketAlreadyExists, ResourceAlreadyExists…),
   * even while a create-then-delete replacement still holds the old one.
   */
  readonly uniqueIn?: "partition" | "account" | "region";
  /** The provider's id for a new resource. */
  readonly id: (c: { inputs: Inputs; at: Placement; name: string }) => string;
  /** Outputs AWS computes (ARNs, generated ids, URLs). */
  readonly outputs?: (c: { inputs: Inputs; at: Placement; id: string }) => Record<string, Wire>;
}

export type Inputs = Record<string, Wire>;

const str = (inputs: Inputs, key: string): string => {
  const v = reveal(inputs[key]);
  return typeof v === "string" ? v : "";
};

export function arn(at: Placement, service: string, resource: string, regional = true): string {
  return `arn:${at.partition}:${service}:${regional ? at.region : ""}:${at.account}:${resource}`;
}

/** A random IAM-style id: prefix and upper-case letters and digits 2-7 (base32). */
export function iamId(prefix: string, length = 17): string {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  const bytes = crypto.randomBytes(length);
  return prefix + [...bytes].map((b) => alphabet[b % 32]).join("");
}

function iamPath(inputs: Inputs): string {
  const path = str(inputs, "path");
  return path === "" ? "/" : path;
}

const bucketChild: TypeRule = {
  replaceOn: ["bucket", "expectedBucketOwner", "region"],
  id: ({ inputs }) => str(inputs, "bucket"),
};

const now = () => new Date().toISOString();

const bucket: TypeRule = {
  nameInput: "bucket",
  uniqueIn: "partition",
  replaceOn: ["bucket", "bucketPrefix", "objectLockEnabled", "region"],
  id: ({ inputs }) => str(inputs, "bucket"),
  outputs: ({ at, id }) => ({
    arn: `arn:${at.partition}:s3:::${id}`,
    bucketDomainName: `${id}.s3.${at.dnsSuffix}`,
    bucketRegionalDomainName: `${id}.s3.${at.region}.${at.dnsSuffix}`,
    region: at.region,
  }),
};

const RULES: Readonly<Record<string, TypeRule>> = {
  "aws:s3/bucket:Bucket": bucket,
  "aws:s3/bucketV2:BucketV2": bucket,
  "aws:s3/bucketVersioning:BucketVersioning": bucketChild,
  "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration":
    bucketChild,
  "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": bucketChild,
  "aws:s3/bucketOwnershipControls:BucketOwnershipControls": bucketChild,
  "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": bucketChild,
  "aws:s3/bucketPolicy:BucketPolicy": bucketChild,
  "aws:s3/bucketObjectv2:BucketObjectv2": {
    replaceOn: ["bucket", "key", "region"],
    id: ({ inputs }) => str(inputs, "key"),
    outputs: ({ inputs, at, id }) => ({
      arn: `arn:${at.partition}:s3:::${str(inputs, "bucket")}/${id}`,
      etag: crypto.randomBytes(16).toString("hex"),
      versionId: crypto.randomBytes(16).toString("base64url"),
    }),
  },
  "aws:iam/role:Role": {
    nameInput: "name",
    uniqueIn: "account",
    replaceOn: ["name", "namePrefix", "path"],
    id: ({ inputs }) => str(inputs, "name"),
    outputs: ({ inputs, at, id }) => ({
      arn: arn(at, "iam", `role${iamPath(inputs)}${id}`, false),
      uniqueId: iamId("AROA"),
      createDate: now(),
    }),
  },
  "aws:iam/user:User": {
    uniqueIn: "account",
    replaceOn: [],
    id: ({ inputs }) => str(inputs, "name"),
    outputs: ({ inputs, at, id }) => ({
      arn: arn(at, "iam", `user${iamPath(inputs)}${id}`, false),
      uniqueId: iamId("AIDA"),
    }),
  },
  "aws:iam/group:Group": {
    uniqueIn: "account",
    replaceOn: [],
    id: ({ inputs }) => str(inputs, "name"),
    outputs: ({ inputs, at, id }) => ({
      arn: arn(at, "iam", `group${iamPath(inputs)}${id}`, false),
      uniqueId: iamId("AGPA"),
    }),
  },
  "aws:iam/policy:Policy": {
    nameInput: "name",
    uniqueIn: "account",
    replaceOn: ["name", "namePrefix", "path", "description"],
    id: ({ inputs, at }) => arn(at, "iam", `policy${iamPath(inputs)}${str(inputs, "name")}`, false),
    outputs: ({ id }) => ({ arn: id, policyId: iamId("ANPA"), attachmentCount: 0 }),
  },
  "aws:iam/accessKey:AccessKey": {
    replaceOn: ["user", "pgpKey"],
    id: () => iamId("AKIA", 16),
    outputs: () => ({
      secret: crypto.randomBytes(30).toString("base64"),
      createDate: now(),
    }),
  },
  "aws:iam/groupMembership:GroupMembership": {
    nameInput: "name",
    replaceOn: ["name", "group"],
    id: ({ inputs }) => str(inputs, "name"),
  },
  "aws:iam/groupPolicy:GroupPolicy": {
    nameInput: "name",
    replaceOn: ["group", "name", "namePrefix"],
    id: ({ inputs }) => `${str(inputs, "group")}:${str(inputs, "name")}`,
  },
  "aws:iam/rolePolicy:RolePolicy": {
    nameInput: "name",
    replaceOn: ["role", "name", "namePrefix"],
    id: ({ inputs }) => `${str(inputs, "role")}:${str(inputs, "name")}`,
  },
  "aws:iam/rolePolicyAttachment:RolePolicyAttachment": {
    replaceOn: ["role", "policyArn"],
    id: ({ inputs }) => `${str(inputs, "role")}-${crypto.randomBytes(8).toString("hex")}`,
  },
  "aws:kms/key:Key": {
    replaceOn: [
      "customerMasterKeySpec",
      "keyUsage",
      "multiRegion",
      "customKeyStoreId",
      "xksKeyId",
      "region",
    ],
    id: () => crypto.randomUUID(),
    outputs: ({ at, id }) => ({ arn: arn(at, "kms", `key/${id}`), keyId: id }),
  },
  "aws:kms/alias:Alias": {
    nameInput: "name",
    uniqueIn: "region",
    replaceOn: ["name", "namePrefix", "region"],
    id: ({ inputs }) => str(inputs, "name"),
    outputs: ({ inputs, at, id }) => {
      const target = str(inputs, "targetKeyId");
      return {
        arn: arn(at, "kms", id),
        targetKeyArn: target.startsWith("arn:") ? target : arn(at, "kms", `key/${target}`),
      };
    },
  },
  "aws:ssm/parameter:Parameter": {
    nameInput: "name",
    replaceOn: ["name", "region"],
    id: ({ inputs }) => str(inputs, "name"),
    outputs: ({ at, id }) => ({
      arn: arn(at, "ssm", `parameter${id.startsWith("/") ? "" : "/"}${id}`),
      version: 1,
    }),
  },
  "aws:lambda/function:Function": {
    nameInput: "name",
    uniqueIn: "region",
    replaceOn: ["name", "packageType", "region"],
    id: ({ inputs }) => str(inputs, "name"),
    outputs: ({ at, id }) => {
      const fn = arn(at, "lambda", `function:${id}`);
      return {
        arn: fn,
        qualifiedArn: `${fn}:$LATEST`,
        invokeArn: `arn:${at.partition}:apigateway:${at.region}:lambda:path/2015-03-31/functions/${fn}/invocations`,
        version: "$LATEST",
        lastModified: now(),
      };
    },
  },
  "aws:cloudwatch/logGroup:LogGroup": {
    nameInput: "name",
    uniqueIn: "region",
    replaceOn: ["name", "namePrefix", "logGroupClass", "region"],
    id: ({ inputs }) => str(inputs, "name"),
    outputs: ({ at, id }) => ({ arn: arn(at, "logs", `log-group:${id}`) }),
  },
  "aws:codebuild/project:Project": {
    nameInput: "name",
    uniqueIn: "region",
    replaceOn: ["name", "region"],
    id: ({ inputs, at }) => arn(at, "codebuild", `project/${str(inputs, "name")}`),
    outputs: ({ id }) => ({ arn: id }),
  },
  "aws:codebuild/webhook:Webhook": {
    replaceOn: ["projectName", "region"],
    id: ({ inputs }) => str(inputs, "projectName"),
    outputs: ({ at, id }) => ({
      url: `https://codebuild.${at.region}.${at.dnsSuffix}/webhooks?t=${id}`,
      payloadUrl: `https://codebuild.${at.region}.${at.dnsSuffix}/webhooks?t=${id}`,
    }),
  },
  "aws:codecommit/repository:Repository": {
    nameInput: "repositoryName",
    uniqueIn: "region",
    replaceOn: ["region"],
    id: ({ inputs }) => str(inputs, "repositoryName"),
    outputs: ({ at, id }) => ({
      arn: arn(at, "codecommit", id),
      cloneUrlHttp: `https://git-codecommit.${at.region}.${at.dnsSuffix}/v1/repos/${id}`,
      cloneUrlSsh: `ssh://git-codecommit.${at.region}.${at.dnsSuffix}/v1/repos/${id}`,
      repositoryId: crypto.randomUUID(),
    }),
  },
  "aws:codeconnections/connection:Connection": {
    nameInput: "name",
    replaceOn: ["name", "providerType", "hostArn", "region"],
    id: ({ at }) => arn(at, "codeconnections", `connection/${crypto.randomUUID()}`),
    outputs: ({ at, id }) => ({
      arn: id,
      connectionStatus: "PENDING",
      ownerAccountId: at.account,
    }),
  },
  "aws:codepipeline/pipeline:Pipeline": {
    nameInput: "name",
    uniqueIn: "region",
    replaceOn: ["name", "region"],
    id: ({ inputs }) => str(inputs, "name"),
    outputs: ({ at, id }) => ({ arn: arn(at, "codepipeline", id) }),
  },
  "aws:cloudwatch/eventRule:EventRule": {
    nameInput: "name",
    uniqueIn: "region",
    replaceOn: ["name", "namePrefix", "eventBusName", "region"],
    id: ({ inputs }) => str(inputs, "name"),
    outputs: ({ at, id }) => ({ arn: arn(at, "events", `rule/${id}`) }),
  },
  "aws:sns/topic:Topic": {
    nameInput: "name",
    uniqueIn: "region",
    replaceOn: ["name", "namePrefix", "fifoTopic", "region"],
    id: ({ inputs, at }) => arn(at, "sns", str(inputs, "name")),
    outputs: ({ at, id }) => ({ arn: id, owner: at.account }),
  },
  "aws:sns/topicPolicy:TopicPolicy": {
    replaceOn: ["arn", "region"],
    id: ({ inputs }) => str(inputs, "arn"),
    outputs: ({ at }) => ({ owner: at.account }),
  },
  "aws:sns/topicSubscription:TopicSubscription": {
    replaceOn: ["topic", "protocol", "endpoint", "region"],
    id: ({ inputs }) => `${str(inputs, "topic")}:${crypto.randomUUID()}`,
    outputs: ({ id, at }) => ({ arn: id, ownerId: at.account, pendingConfirmation: true }),
  },
  "aws:scheduler/schedule:Schedule": {
    nameInput: "name",
    uniqueIn: "region",
    replaceOn: ["name", "namePrefix", "groupName", "region"],
    // A schedule without a group is in the group AWS calls "default".
    id: ({ inputs }) =>
      `${str(inputs, "groupName").replace(/^$/, "default")}/${str(inputs, "name")}`,
    outputs: ({ at, id }) => ({ arn: arn(at, "scheduler", `schedule/${id}`) }),
  },
  "aws:codestarnotifications/notificationRule:NotificationRule": {
    nameInput: "name",
    replaceOn: ["resource", "region"],
    id: ({ at }) =>
      arn(
        at,
        "codestar-notifications",
        `notificationrule/${crypto.randomBytes(20).toString("hex")}`,
      ),
    outputs: ({ id }) => ({ arn: id }),
  },
  "aws:cloudwatch/eventTarget:EventTarget": {
    nameInput: "targetId",
    replaceOn: ["rule", "targetId", "eventBusName", "region"],
    id: ({ inputs }) => `${str(inputs, "rule")}-${str(inputs, "targetId")}`,
  },
};

/**
 * Any other resource type, from its schema: named by `name` when it has one,
 * replaced on a `region` change, an ARN of its service when it has an `arn`.
 */
function genericRule(token: string, schema: ResourceSchema): TypeRule {
  const [, module] = token.split(":");
  const [service, resource] = module.split("/");
  const kebab = resource.replace(/([a-z0-9])([A-Z])/g, "$1-$2").toLowerCase();
  const hasName = "name" in schema.properties;
  return {
    nameInput: hasName ? "name" : undefined,
    replaceOn: "region" in schema.properties ? ["region"] : [],
    id: ({ inputs, name }) =>
      (hasName && str(inputs, "name")) || `${name}-${crypto.randomBytes(4).toString("hex")}`,
    outputs: ({ at, id }) =>
      "arn" in schema.requiredOutputs ? { arn: arn(at, service, `${kebab}/${id}`) } : {},
  };
}

export function ruleFor(token: string, schema: ResourceSchema): TypeRule {
  return RULES[token] ?? genericRule(token, schema);
}

/** The key under which AWS keeps a resource's name unique, or undefined when it does not. */
export function uniqueNameKey(
  type: string,
  rule: TypeRule,
  inputs: Inputs,
  at: Placement,
  id: string,
): string | undefined {
  if (!rule.uniqueIn) return undefined;
  const given = str(inputs, rule.nameInput ?? "name");
  const name = given === "" ? id : given;
  const scope = {
    partition: [at.partition],
    account: [at.partition, at.account],
    region: [at.partition, at.account, at.region],
  }[rule.uniqueIn];
  // IAM names are unique regardless of case.
  return [...scope, type, type.startsWith("aws:iam/") ? name.toLowerCase() : name].join("/");
}

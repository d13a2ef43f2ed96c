/**
 * The one place that knows how the `aws` and `aws-cn` partitions differ: ARN
 * prefixes, DNS suffixes and service principals. Nothing else in silkroute
 * writes an ARN prefix or an AWS domain literally (a test enforces it).
 */

import REGIONS from "./regions.json";

export type Partition = "aws" | "aws-cn";

/**
 * The Regions of each partition, from the AWS SDK's own partition data
 * (scripts/sdk-regions.js writes regions.json; a test regenerates it).
 */
export const PARTITION_REGIONS: Readonly<Record<Partition, readonly string[]>> = REGIONS;

export const CHINA_REGIONS = PARTITION_REGIONS["aws-cn"];

const DNS_SUFFIX: Record<Partition, string> = {
  aws: "amazonaws.com",
  "aws-cn": "amazonaws.com.cn",
};

/**
 * Services whose principal in aws-cn ends in `.amazonaws.com.cn`. Every other
 * service (lambda, codebuild, logs, …) uses `<service>.amazonaws.com` in both
 * partitions. Source: AWS China Regions documentation, "Service principals".
 * The S3 server access log delivery service (`logging.s3`, S3_LOG_DELIVERY)
 * is not listed: unlike `s3` itself it is `logging.s3.amazonaws.com` in both,
 * as the log-delivery principals documented for aws-cn are (the China VPC
 * flow-log policy names `delivery.logs.amazonaws.com`).
 */
const CHINA_SUFFIXED_PRINCIPALS: ReadonlySet<string> = new Set([
  "ec2",
  "s3",
  "elasticmapreduce",
  "codedeploy",
  "datapipeline",
  "application-autoscaling",
]);

/** The service that writes S3 server access logs into a target bucket. */
export const S3_LOG_DELIVERY = "logging.s3";

export function isChinaRegion(region: string): boolean {
  return CHINA_REGIONS.includes(region);
}

/** The partition a Region belongs to: `cn-*` Regions are aws-cn, the rest aws. */
export function partitionOf(region: string): Partition {
  return region.startsWith("cn-") ? "aws-cn" : "aws";
}

export function dnsSuffix(partition: Partition): string {
  return DNS_SUFFIX[partition];
}

/** The principal of an AWS service in a partition, e.g. `ec2.amazonaws.com.cn` in aws-cn. */
export function servicePrincipal(service: string, partition: Partition): string {
  if (partition === "aws-cn" && CHINA_SUFFIXED_PRINCIPALS.has(service)) {
    return `${service}.${DNS_SUFFIX["aws-cn"]}`;
  }
  return `${service}.${DNS_SUFFIX.aws}`;
}

/** A Region-scoped service principal, e.g. `logs.cn-north-1.amazonaws.com.cn`. */
export function regionalServicePrincipal(service: string, region: string): string {
  return `${service}.${region}.${DNS_SUFFIX[partitionOf(region)]}`;
}

/** The regional endpoint host of a service, e.g. `sts.cn-north-1.amazonaws.com.cn`. */
export function endpointHost(service: string, region: string): string {
  return `${service}.${region}.${DNS_SUFFIX[partitionOf(region)]}`;
}

export interface ArnParts {
  partition: Partition;
  service: string;
  /** Empty for global services (IAM, S3 buckets). */
  region?: string;
  /** Empty for S3 buckets. */
  account?: string;
  resource: string;
}

export function arn(p: ArnParts): string {
  return `arn:${p.partition}:${p.service}:${p.region ?? ""}:${p.account ?? ""}:${p.resource}`;
}

/** The ARN prefix of a partition (`arn:aws-cn:`), for checks and policy conditions. */
export function arnPrefix(partition: Partition): string {
  return `arn:${partition}:`;
}

/** ARN of an AWS managed policy; the `aws.iam.ManagedPolicy` enum is aws-only. */
export function managedPolicyArn(partition: Partition, name: string): string {
  return arn({ partition, service: "iam", account: "aws", resource: `policy/${name}` });
}

/** ARN of an S3 bucket, or of the objects under it with `/*`. */
export function s3Arn(partition: Partition, bucketAndKey: string): string {
  return arn({ partition, service: "s3", resource: bucketAndKey });
}

/** ARN of an IAM entity (`role/x`, `user/x`, `policy/x`) in an account. */
export function iamArn(partition: Partition, account: string, resource: string): string {
  return arn({ partition, service: "iam", account, resource });
}

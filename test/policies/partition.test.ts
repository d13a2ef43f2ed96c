import { PARTITION_POLICIES, principalProblem } from "../../automation/policies/partition";
import { inChina, messages, planned, policyJson, policyNamed } from "../helpers/planned";

const arns = policyNamed(PARTITION_POLICIES, "partition-arns");
const principals = policyNamed(PARTITION_POLICIES, "partition-principals");

const role = (service: string) =>
  planned("aws:iam/role:Role", {
    assumeRolePolicy: policyJson({
      Effect: "Allow",
      Principal: { Service: service },
      Action: "sts:AssumeRole",
    }),
  });

describe("partition-arns", () => {
  it("passes an aws-cn resource whose inputs hold only aws-cn ARNs", () => {
    // given
    const r = inChina(planned("aws:iam/rolePolicy:RolePolicy", { policy: "arn:aws-cn:s3:::b/*" }));
    // when / then
    expect(messages(arns, r)).toEqual([]);
  });

  it("flags an aws ARN in an aws-cn resource", () => {
    const r = inChina(planned("aws:iam/rolePolicy:RolePolicy", { policy: "arn:aws:s3:::b/*" }));
    expect(messages(arns, r)).toEqual([
      expect.stringContaining('"arn:aws:" but the resource is in aws-cn'),
    ]);
  });

  it("flags an aws-cn ARN in an aws resource", () => {
    const r = planned("aws:iam/rolePolicy:RolePolicy", { policy: "arn:aws-cn:s3:::b/*" });
    expect(messages(arns, r)).toEqual([expect.stringContaining('"arn:aws-cn:"')]);
  });

  it("flags a China domain in an aws resource", () => {
    const r = planned("aws:codebuild/project:Project", {
      environment: {
        environmentVariables: [{ name: "E", value: "sts.cn-north-1.amazonaws.com.cn" }],
      },
    });
    expect(messages(arns, r)).toEqual([expect.stringContaining('".amazonaws.com.cn"')]);
  });

  it("passes an aws resource with global ARNs and domains", () => {
    const r = planned("aws:iam/rolePolicy:RolePolicy", {
      policy: "arn:aws:s3:::b/* sts.us-east-1.amazonaws.com",
    });
    expect(messages(arns, r)).toEqual([]);
  });
});

describe("partition-principals", () => {
  it.each([
    ["aws", "lambda.amazonaws.com"],
    ["aws", "ec2.amazonaws.com"],
    ["aws-cn", "lambda.amazonaws.com"],
    ["aws-cn", "ec2.amazonaws.com.cn"],
    ["aws-cn", "logs.cn-north-1.amazonaws.com.cn"],
    ["aws", "logging.s3.amazonaws.com"],
    ["aws-cn", "logging.s3.amazonaws.com"],
  ] as const)("passes %s principal %s", (partition, service) => {
    const r = partition === "aws" ? role(service) : inChina(role(service));
    expect(messages(principals, r)).toEqual([]);
  });

  it("flags ec2.amazonaws.com in aws-cn and names the right principal", () => {
    expect(messages(principals, inChina(role("ec2.amazonaws.com")))).toEqual([
      "assumeRolePolicy: service principal ec2.amazonaws.com is wrong in aws-cn; use ec2.amazonaws.com.cn (servicePrincipal() in components/partition.ts)",
    ]);
  });

  it("flags lambda.amazonaws.com.cn, which does not exist", () => {
    expect(messages(principals, inChina(role("lambda.amazonaws.com.cn")))).toEqual([
      expect.stringContaining("use lambda.amazonaws.com "),
    ]);
  });

  it("reads a service name with a dot of its own as a service, not a Region", () => {
    // given the S3 log delivery principal with the China suffix, which does not exist
    const r = inChina(role("logging.s3.amazonaws.com.cn"));
    // then
    expect(messages(principals, r)).toEqual([
      "assumeRolePolicy: service principal logging.s3.amazonaws.com.cn is wrong in aws-cn; use logging.s3.amazonaws.com (servicePrincipal() in components/partition.ts)",
    ]);
  });

  it("flags a regional principal of a Region outside the partition", () => {
    expect(principalProblem("logs.us-east-1.amazonaws.com", "aws-cn")).toMatch(
      /names us-east-1, a Region outside aws-cn/,
    );
  });

  it("ignores principals that are not AWS services", () => {
    expect(principalProblem("example.com", "aws-cn")).toBeUndefined();
  });
});

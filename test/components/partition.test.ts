import * as fs from "fs";
import * as path from "path";
import {
  arn,
  dnsSuffix,
  iamArn,
  managedPolicyArn,
  partitionOf,
  regionalServicePrincipal,
  S3_LOG_DELIVERY,
  s3Arn,
  servicePrincipal,
} from "../../components/partition";

describe("partition table", () => {
  it.each([
    ["us-east-1", "aws"],
    ["eu-west-1", "aws"],
    ["cn-north-1", "aws-cn"],
    ["cn-northwest-1", "aws-cn"],
  ])("puts %s in the %s partition", (region, partition) => {
    expect(partitionOf(region)).toBe(partition);
  });

  it.each([
    ["lambda", "aws", "lambda.amazonaws.com"],
    ["lambda", "aws-cn", "lambda.amazonaws.com"],
    ["codebuild", "aws-cn", "codebuild.amazonaws.com"],
    ["ec2", "aws", "ec2.amazonaws.com"],
    ["ec2", "aws-cn", "ec2.amazonaws.com.cn"],
    ["s3", "aws-cn", "s3.amazonaws.com.cn"],
    ["elasticmapreduce", "aws-cn", "elasticmapreduce.amazonaws.com.cn"],
    // S3 server access log delivery: not suffixed in China, unlike s3 itself.
    [S3_LOG_DELIVERY, "aws", "logging.s3.amazonaws.com"],
    [S3_LOG_DELIVERY, "aws-cn", "logging.s3.amazonaws.com"],
  ] as const)("gives %s in %s the principal %s", (service, partition, principal) => {
    expect(servicePrincipal(service, partition)).toBe(principal);
  });

  it("suffixes DNS names and regional principals by partition", () => {
    expect(dnsSuffix("aws")).toBe("amazonaws.com");
    expect(dnsSuffix("aws-cn")).toBe("amazonaws.com.cn");
    expect(regionalServicePrincipal("logs", "cn-north-1")).toBe("logs.cn-north-1.amazonaws.com.cn");
    expect(regionalServicePrincipal("logs", "us-east-1")).toBe("logs.us-east-1.amazonaws.com");
  });

  it("builds ARNs with the partition's prefix", () => {
    expect(iamArn("aws-cn", "210987654321", "role/x")).toBe("arn:aws-cn:iam::210987654321:role/x");
    expect(s3Arn("aws", "bucket/*")).toBe("arn:aws:s3:::bucket/*");
    expect(managedPolicyArn("aws-cn", "service-role/AWSLambdaBasicExecutionRole")).toBe(
      "arn:aws-cn:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
    );
    expect(
      arn({
        partition: "aws",
        service: "kms",
        region: "us-east-1",
        account: "1",
        resource: "key/k",
      }),
    ).toBe("arn:aws:kms:us-east-1:1:key/k");
  });
});

describe("partition strings in the code", () => {
  const root = path.resolve(__dirname, "../..");
  const sources = (dir: string): string[] =>
    fs.readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((e) => {
      const rel = path.join(dir, e.name);
      if (e.isDirectory()) return sources(rel);
      return /\.(ts|js|ya?ml)$/.test(e.name) ? [rel] : [];
    });

  it("appear only in components/partition.ts", () => {
    // given every source file of the stacks, components and driver
    const files = ["stacks", "components", "automation", "policy-pack"]
      .filter((d) => fs.existsSync(path.join(root, d)))
      .flatMap(sources)
      .filter((f) => f !== path.join("components", "partition.ts"));
    // when searching them for ARN prefixes and AWS domains
    const offenders = files.filter((f) =>
      /arn:aws|amazonaws\.com/.test(fs.readFileSync(path.join(root, f), "utf8")),
    );
    // then none has one
    expect(offenders).toEqual([]);
  });
});

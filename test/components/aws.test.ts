import * as pulumi from "@pulumi/pulumi";
import * as index from "@pulumi/aws";
import * as aws from "../../components/aws";

// components/aws imports @pulumi/aws module by module. That must give the very classes the
// package's index gives (a second copy would register resources under the same token twice and
// fail instanceof checks) on the one @pulumi/pulumi the program uses.
const namespaces = [
  "cloudformation",
  "cloudwatch",
  "codebuild",
  "codecommit",
  "codeconnections",
  "codestarnotifications",
  "codepipeline",
  "iam",
  "kms",
  "lambda",
  "s3",
  "scheduler",
  "sns",
  "ssm",
] as const;

describe("components/aws", () => {
  it("exports the package's own classes and functions, whichever way they are imported", () => {
    // given the index and the per-module re-exports, both loaded in this process
    const pairs: [string, unknown, unknown][] = [
      ["Provider", aws.Provider, index.Provider],
      ["getCallerIdentityOutput", aws.getCallerIdentityOutput, index.getCallerIdentityOutput],
      ["getPartitionOutput", aws.getPartitionOutput, index.getPartitionOutput],
      ["getRegionOutput", aws.getRegionOutput, index.getRegionOutput],
    ];
    for (const ns of namespaces) {
      const own = aws[ns] as Record<string, unknown>;
      const theirs = index[ns] as unknown as Record<string, unknown>;
      for (const name of Object.keys(own)) pairs.push([`${ns}.${name}`, own[name], theirs[name]]);
    }
    // then each is the same object
    expect(pairs.length).toBeGreaterThan(30);
    for (const [name, own, theirs] of pairs) {
      expect([name, typeof own]).toEqual([name, "function"]);
      expect([name, own === theirs]).toEqual([name, true]);
    }
  });

  it("keeps each resource type token as the package declares it", () => {
    for (const ns of namespaces) {
      for (const [name, value] of Object.entries(aws[ns] as Record<string, unknown>)) {
        const token = (value as { __pulumiType?: string }).__pulumiType;
        if (token === undefined) continue; // a function (invoke), not a resource
        expect(token).toMatch(new RegExp(`^aws:${ns}/[a-zA-Z0-9]+:${name}$`));
      }
    }
    expect((aws.Provider as unknown as { __pulumiType: string }).__pulumiType).toBe("aws");
  });

  it("builds every resource on the @pulumi/pulumi this project imports", () => {
    // one instance: the package's resource classes extend this process's CustomResource
    expect(aws.s3.Bucket.prototype).toBeInstanceOf(pulumi.CustomResource);
    expect(aws.iam.Role.prototype).toBeInstanceOf(pulumi.CustomResource);
    expect(aws.Provider.prototype).toBeInstanceOf(pulumi.ProviderResource);
  });
});

import {
  PolicyResource,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  Secret,
  StackValidationArgs,
  StackValidationPolicy,
  unknownCheckingProxy,
} from "@pulumi/policy";
import {
  crossGuardPolicies,
  fromResourceArgs,
  plainProps,
  UNKNOWN_SENTINELS,
} from "../../policy-pack/adapter";
import { accessLogBucketFixture, secureBucketFixture } from "../helpers/planned";

// What @pulumi/policy hands a validation: props behind a proxy that throws on unknowns.
const UNKNOWN_STRING = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const policies = crossGuardPolicies();

function provider(region: string, name = "china") {
  return {
    type: "pulumi:providers:aws",
    name,
    urn: `urn:pulumi:dev::app::pulumi:providers:aws::${name}`,
    props: unknownCheckingProxy({ region }),
  };
}

function resourceArgs(
  type: string,
  props: Record<string, unknown>,
  region = "cn-north-1",
  providerName = "china",
): ResourceValidationArgs {
  return {
    type,
    props: unknownCheckingProxy(props),
    urn: `urn:pulumi:dev::app::${type}::r`,
    name: "r",
    opts: {
      protect: false,
      ignoreChanges: [],
      aliases: [],
      customTimeouts: {} as never,
      additionalSecretOutputs: [],
    },
    provider: provider(region, providerName),
    stackTags: new Map(),
  } as unknown as ResourceValidationArgs;
}

/** Runs every resource policy of the pack on one resource; returns the reports. */
async function validateResource(args: ResourceValidationArgs): Promise<string[]> {
  const reports: string[] = [];
  for (const p of policies as ResourceValidationPolicy[]) {
    const validations = p.validateResource === undefined ? [] : [p.validateResource].flat();
    for (const validate of validations) {
      await validate(args, (m) => reports.push(`${p.name}: ${m}`));
    }
  }
  return reports;
}

async function validateStack(
  resources: PolicyResource[],
): Promise<{ policy: string; urn?: string }[]> {
  const reports: { policy: string; urn?: string }[] = [];
  for (const p of policies as StackValidationPolicy[]) {
    await p.validateStack?.({ resources } as unknown as StackValidationArgs, (_m, urn) =>
      reports.push({ policy: p.name, urn }),
    );
  }
  return reports;
}

describe("CrossGuard adapter", () => {
  it("reports nothing for a compliant key in China", async () => {
    expect(
      await validateResource(resourceArgs("aws:kms/key:Key", { enableKeyRotation: true })),
    ).toEqual([]);
  });

  it("reports a rule's message for a key without rotation", async () => {
    expect(await validateResource(resourceArgs("aws:kms/key:Key", {}))).toEqual([
      expect.stringMatching(/^kms-key-rotation: key rotation is off/),
    ]);
  });

  it("reports a value the AWS API rejects, checked against the SDK's enums", async () => {
    // given: the approver role CodeBuild does not have, and one unknown until deployment
    const args = resourceArgs("aws:codebuild/webhook:Webhook", {
      pullRequestBuildPolicy: {
        requiresCommentApproval: "FORK_PULL_REQUESTS",
        approverRoles: ["GITHUB_MAINTAINER", UNKNOWN_STRING],
      },
    });
    // when / then
    expect(await validateResource(args)).toEqual([
      expect.stringMatching(/^aws-enum-values: .*approverRoles\[0\] is "GITHUB_MAINTAINER"/),
    ]);
  });

  it("takes the partition from the provider's Region", async () => {
    // given: a global ARN in a resource of the aws-cn provider
    const args = resourceArgs("aws:iam/rolePolicy:RolePolicy", {
      role: "r",
      policy: "arn:aws:s3:::b",
    });
    // when / then
    expect(await validateResource(args)).toEqual([
      expect.stringMatching(/^partition-arns: .*aws-cn/),
    ]);
    expect(fromResourceArgs(args)).toMatchObject({ region: "cn-north-1", partition: "aws-cn" });
  });

  it("treats a default provider as no explicit provider", async () => {
    const args = resourceArgs(
      "aws:kms/key:Key",
      { enableKeyRotation: true },
      "us-east-1",
      "default_7_48_0",
    );
    expect(await validateResource(args)).toEqual([expect.stringMatching(/^explicit-provider:/)]);
  });

  it("reads unknown values as [unknown] instead of throwing", async () => {
    const args = resourceArgs("aws:cloudwatch/logGroup:LogGroup", {
      retentionInDays: "3eeb2bf0-c639-47a8-9e75-3b44932eb421",
    });
    await expect(validateResource(args)).resolves.toBeDefined();
    expect(fromResourceArgs(args).inputs).toEqual({ retentionInDays: "[unknown]" });
  });

  it("shows secrets as [secret]", () => {
    expect(plainProps({ value: new Secret("AKIA…"), nested: [new Secret("x")] })).toEqual({
      value: "[secret]",
      nested: ["[secret]"],
    });
  });

  it("knows every unknown sentinel @pulumi/policy defines", () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const proxy = require("@pulumi/policy/proxy");
    const sentinels = Object.keys(proxy)
      .filter((k) => /^unknown\w+Value$/.test(k))
      .map((k) => proxy[k]);
    expect(new Set(sentinels)).toEqual(UNKNOWN_SENTINELS);
  });

  it("gives every CrossGuard policy a unique name", () => {
    const names = policies.map((p) => p.name);
    expect(new Set(names).size).toBe(names.length);
  });
});

describe("CrossGuard stack validation", () => {
  /** A SecureBucket as a preview shows it: siblings' `bucket` unknown, their dependency the bucket. */
  function previewResources(drop?: string): PolicyResource[] {
    const { bucket, siblings } = secureBucketFixture();
    const bucketResource = {
      type: bucket.type,
      urn: bucket.urn,
      name: bucket.name,
      props: unknownCheckingProxy({ bucket: "artifacts-abc1234", id: UNKNOWN_STRING }),
      provider: provider("cn-north-1"),
      propertyDependencies: {},
    } as unknown as PolicyResource;
    const rest = Object.entries(siblings)
      .filter(([key]) => key !== drop)
      .map(
        ([, s]) =>
          ({
            type: s.type,
            urn: s.urn,
            name: s.name,
            props: unknownCheckingProxy({ ...s.inputs, bucket: UNKNOWN_STRING }),
            provider: provider("cn-north-1"),
            propertyDependencies: { bucket: [bucketResource] },
          }) as unknown as PolicyResource,
      );
    return [bucketResource, ...rest];
  }

  it("matches a bucket's siblings through their property dependencies", async () => {
    expect(await validateStack(previewResources())).toEqual([]);
  });

  it("reports a missing sibling against the bucket", async () => {
    const [bucket] = previewResources();
    expect(await validateStack(previewResources("versioning"))).toEqual([
      { policy: "s3-versioning", urn: bucket.urn },
    ]);
  });

  it("reports a bucket without server access logging (s3-access-logging)", async () => {
    const [bucket] = previewResources();
    expect(await validateStack(previewResources("logging"))).toEqual([
      { policy: "s3-access-logging", urn: bucket.urn },
    ]);
  });

  /**
   * A log bucket and its source as a preview shows them: every bucket's id
   * unknown, so the siblings' `bucket` and the logging's `targetBucket` too;
   * their dependencies name the buckets.
   */
  function previewLogBucket(): PolicyResource[] {
    const { all } = accessLogBucketFixture();
    const byId = new Map<unknown, PolicyResource>();
    const buckets = all()
      .filter((r) => r.type === "aws:s3/bucket:Bucket")
      .map((r) => {
        const resource = {
          type: r.type,
          urn: r.urn,
          name: r.name,
          props: unknownCheckingProxy({ ...r.inputs, id: UNKNOWN_STRING }),
          provider: provider("cn-north-1"),
          propertyDependencies: {},
        } as unknown as PolicyResource;
        byId.set(r.id, resource);
        return resource;
      });
    const siblings = all()
      .filter((r) => r.type !== "aws:s3/bucket:Bucket")
      .map((s) => {
        const deps: Record<string, PolicyResource[]> = { bucket: [byId.get(s.inputs.bucket)!] };
        const props: Record<string, unknown> = { ...s.inputs, bucket: UNKNOWN_STRING };
        if (s.inputs.targetBucket !== undefined) {
          deps.targetBucket = [byId.get(s.inputs.targetBucket)!];
          props.targetBucket = UNKNOWN_STRING;
        }
        return {
          type: s.type,
          urn: s.urn,
          name: s.name,
          props: unknownCheckingProxy(props),
          provider: provider("cn-north-1"),
          propertyDependencies: deps,
        } as unknown as PolicyResource;
      });
    return [...buckets, ...siblings];
  }

  it("finds the log bucket a logging delivers into through its targetBucket dependency", async () => {
    // given / when / then: the log bucket counts as one (others log into it), the source logs
    expect(await validateStack(previewLogBucket())).toEqual([]);
  });
});

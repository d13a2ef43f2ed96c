import { execFileSync } from "child_process";
import { readFileSync } from "fs";
import * as path from "path";
import {
  ENUM_FIELDS,
  ENUM_POLICIES,
  valuesAt,
  OTHER_ENUMS,
} from "../../automation/policies/sdkEnums";
import { SECRET_PLACEHOLDER, UNKNOWN } from "../../automation/policies/util";
import { messages, planned, policyNamed } from "../helpers/planned";

const rule = policyNamed(ENUM_POLICIES, "aws-enum-values");
const ROOT = path.resolve(__dirname, "..", "..");

/** Inputs holding `value` at a path of ENUM_FIELDS (`a[].b` → `{ a: [{ b: value }] }`). */
function inputAt(fieldPath: string, value: unknown): Record<string, unknown> {
  const parts = fieldPath.split(".");
  let inner: unknown = value;
  for (const part of parts.reverse()) {
    const list = part.endsWith("[]");
    const key = list ? part.slice(0, -2) : part;
    inner = { [key]: list ? [inner] : inner };
  }
  return inner as Record<string, unknown>;
}

/**
 * For each field: a value silkroute (or AWS's documentation) uses, and a
 * plausible mistake the mock engine would accept and the API would reject.
 */
const CASES: [type: string, path: string, valid: string, invalid: string][] = [
  ["aws:codebuild/project:Project", "environment.computeType", "BUILD_GENERAL1_SMALL", "SMALL"],
  ["aws:codebuild/project:Project", "environment.type", "LINUX_CONTAINER", "LINUX"],
  [
    "aws:codebuild/project:Project",
    "environment.imagePullCredentialsType",
    "CODEBUILD",
    "SERVICE-ROLE",
  ],
  [
    "aws:codebuild/project:Project",
    "environment.environmentVariables[].type",
    "PLAINTEXT",
    "PLAIN_TEXT",
  ],
  ["aws:codebuild/project:Project", "source.type", "CODEPIPELINE", "GIT"],
  ["aws:codebuild/project:Project", "source.auth.type", "CODECONNECTIONS", "CODESTAR_CONNECTIONS"],
  ["aws:codebuild/project:Project", "artifacts.type", "NO_ARTIFACTS", "NONE"],
  ["aws:codebuild/project:Project", "cache.type", "S3", "LOCAL_CACHE"],
  ["aws:codebuild/project:Project", "cache.modes[]", "LOCAL_CUSTOM_CACHE", "LOCAL_CUSTOM"],
  ["aws:codebuild/project:Project", "logsConfig.cloudwatchLogs.status", "ENABLED", "Enabled"],
  ["aws:codebuild/project:Project", "logsConfig.s3Logs.status", "DISABLED", "OFF"],
  ["aws:codebuild/webhook:Webhook", "buildType", "BUILD", "SINGLE"],
  ["aws:codebuild/webhook:Webhook", "filterGroups[].filters[].type", "BASE_REF", "BRANCH"],
  [
    "aws:codebuild/webhook:Webhook",
    "pullRequestBuildPolicy.requiresCommentApproval",
    "FORK_PULL_REQUESTS",
    "FORKS",
  ],
  [
    "aws:codebuild/webhook:Webhook",
    "pullRequestBuildPolicy.approverRoles[]",
    "GITHUB_MAINTAIN",
    "GITHUB_MAINTAINER",
  ],
  ["aws:lambda/function:Function", "runtime", "nodejs22.x", "nodejs22"],
  ["aws:lambda/function:Function", "architectures[]", "x86_64", "amd64"],
  ["aws:lambda/function:Function", "packageType", "Zip", "ZIP"],
  ["aws:kms/key:Key", "customerMasterKeySpec", "SYMMETRIC_DEFAULT", "AES_256"],
  ["aws:kms/key:Key", "keyUsage", "ENCRYPT_DECRYPT", "ENCRYPT"],
  ["aws:ssm/parameter:Parameter", "type", "SecureString", "SECURE_STRING"],
  ["aws:ssm/parameter:Parameter", "tier", "Standard", "STANDARD"],
  [
    "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
    "rule.objectOwnership",
    "BucketOwnerEnforced",
    "BucketOwner",
  ],
  [
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    "rules[].applyServerSideEncryptionByDefault.sseAlgorithm",
    "aws:kms",
    "aws:kms:sse",
  ],
  [
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
    "rules[].status",
    "Enabled",
    "ENABLED",
  ],
  ["aws:s3/bucketObjectv2:BucketObjectv2", "serverSideEncryption", "aws:kms", "KMS"],
  ["aws:s3/bucketObjectv2:BucketObjectv2", "storageClass", "STANDARD_IA", "INFREQUENT"],
  ["aws:codepipeline/pipeline:Pipeline", "pipelineType", "V2", "v2"],
  ["aws:codepipeline/pipeline:Pipeline", "executionMode", "QUEUED", "QUEUE"],
  ["aws:codepipeline/pipeline:Pipeline", "stages[].actions[].category", "Build", "BUILD"],
  ["aws:codepipeline/pipeline:Pipeline", "stages[].actions[].owner", "AWS", "Amazon"],
  ["aws:codepipeline/pipeline:Pipeline", "artifactStores[].type", "S3", "s3"],
  ["aws:codepipeline/pipeline:Pipeline", "artifactStores[].encryptionKey.type", "KMS", "AWS_KMS"],
  [
    "aws:codepipeline/pipeline:Pipeline",
    "triggers[].providerType",
    "CodeStarSourceConnection",
    "CodeConnections",
  ],
  ["aws:cloudwatch/logGroup:LogGroup", "logGroupClass", "INFREQUENT_ACCESS", "INFREQUENT"],
  ["aws:iam/accessKey:AccessKey", "status", "Active", "ACTIVE"],
  ["aws:scheduler/schedule:Schedule", "flexibleTimeWindow.mode", "OFF", "NONE"],
  ["aws:scheduler/schedule:Schedule", "state", "ENABLED", "Enabled"],
  ["aws:cloudformation/stack:Stack", "capabilities[]", "CAPABILITY_AUTO_EXPAND", "AUTO_EXPAND"],
];

describe("aws-enum-values", () => {
  it("has a passing and a failing case for every field it checks", () => {
    // given
    const checked = ENUM_FIELDS.map((f) => `${f.type} ${f.path}`);
    // when
    const tested = CASES.map(([type, p]) => `${type} ${p}`);
    // then
    expect(new Set(tested)).toEqual(new Set(checked));
    expect(tested).toHaveLength(checked.length);
  });

  it.each(CASES)("%s %s: passes %s", (type, fieldPath, valid) => {
    expect(messages(rule, planned(type, inputAt(fieldPath, valid)))).toEqual([]);
  });

  it.each(CASES)(
    "%s %s: flags %s as no value of the SDK's enum",
    (type, fieldPath, _v, invalid) => {
      // given
      const resource = planned(type, inputAt(fieldPath, invalid));
      // when
      const found = messages(rule, resource);
      // then
      expect(found).toHaveLength(1);
      expect(found[0]).toContain(`is ${JSON.stringify(invalid)}, not a`);
    },
  );

  it("names where the bad value sits, the enum, its client and the values it takes", () => {
    // given
    const webhook = planned("aws:codebuild/webhook:Webhook", {
      pullRequestBuildPolicy: {
        requiresCommentApproval: "FORK_PULL_REQUESTS",
        approverRoles: ["GITHUB_ADMIN", "GITHUB_MAINTAINER"],
      },
    });
    // when
    const [message] = messages(rule, webhook);
    // then
    expect(message).toMatch(
      /^pullRequestBuildPolicy\.approverRoles\[1\] is "GITHUB_MAINTAINER", not a PullRequestBuildApproverRole of @aws-sdk\/client-codebuild: one of .*GITHUB_MAINTAIN,/,
    );
  });

  it("accepts a deprecated Lambda runtime (a value the API knows; support is another rule's)", () => {
    const fn = planned("aws:lambda/function:Function", { runtime: "nodejs16.x" });
    expect(messages(rule, fn)).toEqual([]);
  });

  it("skips values that are absent, unknown until deployment or secret", () => {
    for (const value of [undefined, null, UNKNOWN, SECRET_PLACEHOLDER]) {
      const fn = planned("aws:lambda/function:Function", { runtime: value });
      expect(messages(rule, fn)).toEqual([]);
    }
  });

  it("flags a value of the wrong kind", () => {
    const key = planned("aws:kms/key:Key", { keyUsage: 3 });
    expect(messages(rule, key)).toEqual([expect.stringContaining("keyUsage is 3")]);
  });

  it("leaves types it has no field for alone", () => {
    expect(messages(rule, planned("aws:s3/bucket:Bucket", { type: "nonsense" }))).toEqual([]);
  });
});

describe("ENUM_FIELDS' input paths", () => {
  const AWS = path.join(ROOT, "node_modules", "@pulumi", "aws");
  const inputTypes = readFileSync(path.join(AWS, "types", "input.d.ts"), "utf8");

  /** The properties declared in one `interface <name> { … }` of a .d.ts text. */
  function properties(text: string, name: string): Set<string> {
    const start = text.indexOf(`interface ${name} {`);
    if (start < 0) return new Set();
    const body = text.slice(start, text.indexOf("\n}", start) + 2);
    return new Set([...body.matchAll(/^\s+(?:readonly )?(\w+)\??:/gm)].map((m) => m[1]));
  }

  it.each(ENUM_FIELDS.map((f) => [f.type, f.path] as const))(
    "%s has the input %s (@pulumi/aws's .d.ts)",
    (type, fieldPath) => {
      // given: aws:<module>/<file>:<Resource> → <module>/<file>.d.ts, <Resource>Args
      const [, module, file, resource] = /^aws:(\w+)\/(\w+):(\w+)$/.exec(type)!;
      const args = readFileSync(path.join(AWS, module, `${file}.d.ts`), "utf8");
      const namespace = inputTypes.slice(
        inputTypes.indexOf(`export declare namespace ${module} {`),
      );
      const [first, ...rest] = fieldPath.split(".").map((p) => p.replace(/\[\]$/, ""));
      // when / then: the first key is an Args property, each next one a
      // property of the nested input type the previous key names
      expect(properties(args, `${resource}Args`).has(first)).toBe(true);
      let typeName = `${resource}${first[0].toUpperCase()}${first.slice(1)}`;
      for (const key of rest) {
        const candidates = [typeName, typeName.replace(/s$/, "")];
        const declared = candidates.find((t) => properties(namespace, t).has(key));
        expect({ key, in: declared ?? candidates }).toEqual({ key, in: expect.any(String) });
        typeName = `${declared}${key[0].toUpperCase()}${key.slice(1)}`;
      }
    },
  );
});

describe("valuesAt", () => {
  it("walks every element of nested lists and names each position", () => {
    // given
    const inputs = {
      stages: [{ actions: [{ category: "Source" }] }, { actions: [{}, { category: "Build" }] }],
    };
    // when / then
    expect(valuesAt(inputs, "stages[].actions[].category")).toEqual([
      { at: "stages[0].actions[0].category", value: "Source" },
      { at: "stages[1].actions[1].category", value: "Build" },
    ]);
  });
});

describe("sdkEnums.json", () => {
  const committed = readFileSync(path.join(ROOT, "components/sdkEnums.json"), "utf8");

  it("is what scripts/sdk-enums.js generates from the installed SDK clients (run `npm run sdk-enums`)", () => {
    // given / when
    const generated = execFileSync(process.execPath, ["scripts/sdk-enums.js", "--print"], {
      cwd: ROOT,
      encoding: "utf8",
    });
    // then
    expect(committed).toBe(generated);
  });

  it("holds only enums a field or other code uses", () => {
    // given
    const data = JSON.parse(committed) as Record<string, Record<string, string[]>>;
    const stored = Object.entries(data).flatMap(([client, enums]) =>
      Object.keys(enums).map((e) => `${client} ${e}`),
    );
    // when
    const used = new Set([
      ...ENUM_FIELDS.map((f) => `${f.client} ${f.enumName}`),
      ...Object.entries(OTHER_ENUMS).flatMap(([client, names]) =>
        names.map((n) => `${client} ${n}`),
      ),
    ]);
    // then
    expect(new Set(stored)).toEqual(used);
  });
});

#!/usr/bin/env node
/*
 * Writes components/sdkEnums.json: the values of the enums the AWS
 * SDK for JavaScript v3 clients export, for the inputs the `aws-enum-values`
 * rule checks. The plan reads this JSON instead of loading SDK clients (slow
 * to load, and most are only devDependencies). Run `npm run sdk-enums` after
 * upgrading a client; test/policies/sdkEnums.test.ts regenerates the file
 * from the installed clients and fails when it differs.
 *
 *   node scripts/sdk-enums.js           write the file
 *   node scripts/sdk-enums.js --print   print it instead
 */
"use strict";
const fs = require("fs");
const path = require("path");

/** Client package → the enums the rule uses (automation/policies/sdkEnums.ts). */
const ENUMS = {
  "@aws-sdk/client-cloudformation": ["Capability"],
  "@aws-sdk/client-cloudwatch-logs": ["LogGroupClass"],
  "@aws-sdk/client-codebuild": [
    "ArtifactPackaging",
    "ArtifactsType",
    "BuildPhaseType",
    "CacheMode",
    "CacheType",
    "ComputeType",
    "EnvironmentType",
    "EnvironmentVariableType",
    "ImagePullCredentialsType",
    "LogsConfigStatusType",
    "PullRequestBuildApproverRole",
    "PullRequestBuildCommentApproval",
    "SourceAuthType",
    "SourceType",
    "StatusType",
    "WebhookBuildType",
    "WebhookFilterType",
  ],
  "@aws-sdk/client-codepipeline": [
    "ActionCategory",
    "ActionOwner",
    "ArtifactStoreType",
    "EncryptionKeyType",
    "ExecutionMode",
    "PipelineTriggerProviderType",
    "PipelineType",
  ],
  "@aws-sdk/client-iam": ["StatusType"],
  "@aws-sdk/client-kms": ["KeySpec", "KeyUsageType"],
  "@aws-sdk/client-lambda": ["Architecture", "PackageType", "Runtime"],
  "@aws-sdk/client-scheduler": ["FlexibleTimeWindowMode", "ScheduleState"],
  "@aws-sdk/client-s3": [
    "ExpirationStatus",
    "ObjectOwnership",
    "ServerSideEncryption",
    "StorageClass",
  ],
  "@aws-sdk/client-ssm": ["ParameterTier", "ParameterType"],
};

const OUT = path.join(__dirname, "..", "components", "sdkEnums.json");

/** The JSON text: package → enum → its sorted string values. */
function generate() {
  const data = {};
  for (const [pkg, names] of Object.entries(ENUMS)) {
    const client = require(pkg);
    data[pkg] = {};
    for (const name of [...names].sort()) {
      const exported = client[name];
      if (typeof exported !== "object" || exported === null) {
        throw new Error(`${pkg} exports no enum ${name}`);
      }
      const values = Object.values(exported).filter((v) => typeof v === "string");
      data[pkg][name] = [...new Set(values)].sort();
    }
  }
  return `${JSON.stringify(data, null, 2)}\n`;
}

if (require.main === module) {
  const text = generate();
  if (process.argv.includes("--print")) {
    process.stdout.write(text);
  } else {
    fs.writeFileSync(OUT, text);
    process.stderr.write(`wrote ${path.relative(process.cwd(), OUT)}\n`);
  }
}

module.exports = { generate, OUT };

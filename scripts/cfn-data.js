#!/usr/bin/env node
/*
 * Writes automation/app/cfnData.json from the data files cfn-lint ships
 * (PyPI package cfn-lint, folder cfnlint/data): AWS's CloudFormation
 * registry schemas per Region and Lambda's runtime lifecycle. silkroute
 * reads three things from them:
 * - the resource types CloudFormation offers in us-east-1 but not in a China
 *   Region (the template lint fails a China target that uses one);
 * - the IAM permissions each resource type's create and update handlers
 *   declare (the pre-flight asks whether the deploy identity has them);
 * - the Lambda runtimes' deprecation and create-block dates.
 *
 *   pip download cfn-lint==<version> --no-deps -d /tmp/cfn
 *   unzip -q /tmp/cfn/cfn_lint-*.whl -d /tmp/cfn/x
 *   node scripts/cfn-data.js /tmp/cfn/x/cfnlint/data <version>
 */
"use strict";
const fs = require("fs");
const path = require("path");

const OUT = path.join(__dirname, "..", "automation", "app", "cfnData.json");
const CHINA_REGIONS = ["cn-north-1", "cn-northwest-1"];
const REFERENCE_REGION = "us-east-1";

/**
 * The resource types whose handler permissions the pre-flight reads: every
 * CloudFormation type the app kinds (components/appKinds.ts) and the Pulumi
 * type map (automation/app/resourceTypes.ts) name. A test fails when one of
 * them is missing here.
 */
const HANDLER_TYPES = [
  "AWS::ApiGateway::Deployment",
  "AWS::ApiGateway::Method",
  "AWS::ApiGateway::Resource",
  "AWS::ApiGateway::RestApi",
  "AWS::ApiGateway::Stage",
  "AWS::ApiGatewayV2::Api",
  "AWS::ApiGatewayV2::Integration",
  "AWS::ApiGatewayV2::Route",
  "AWS::ApiGatewayV2::Stage",
  "AWS::CloudFormation::Stack",
  "AWS::CloudWatch::Alarm",
  "AWS::DynamoDB::Table",
  "AWS::Events::Rule",
  "AWS::IAM::Role",
  "AWS::IAM::RolePolicy",
  "AWS::Lambda::EventSourceMapping",
  "AWS::Lambda::Function",
  "AWS::Lambda::Permission",
  "AWS::Logs::LogGroup",
  "AWS::S3::Bucket",
  "AWS::S3::BucketPolicy",
  "AWS::SNS::Subscription",
  "AWS::SNS::Topic",
  "AWS::SNS::TopicPolicy",
  "AWS::SQS::Queue",
  "AWS::SQS::QueuePolicy",
  "AWS::StepFunctions::StateMachine",
];

const readJson = (file) => JSON.parse(fs.readFileSync(file, "utf8"));

function generate(dataDir, version) {
  const schemas = path.join(dataDir, "schemas");
  const provider = (region) => readJson(path.join(schemas, "providers", `${region}.json`));
  const reference = provider(REFERENCE_REGION);
  const china = {};
  for (const region of CHINA_REGIONS) {
    const there = provider(region);
    china[region] = Object.keys(reference)
      .filter((t) => there[t] === undefined)
      .sort();
  }
  const handlers = {};
  for (const type of HANDLER_TYPES) {
    const hash = reference[type];
    if (hash === undefined) throw new Error(`cfn-lint has no ${type} in ${REFERENCE_REGION}`);
    const schema = readJson(path.join(schemas, "resources", `${hash}.json`));
    const of = (handler) => [...new Set(schema.handlers?.[handler]?.permissions ?? [])].sort();
    handlers[type] = { create: of("create"), update: of("update") };
  }
  const lifecycle = readJson(path.join(dataDir, "AdditionalSpecs", "LmbdRuntimeLifecycle.json"));
  const runtimes = {};
  for (const name of Object.keys(lifecycle).sort()) {
    const r = lifecycle[name];
    runtimes[name] = { deprecated: r.deprecated ?? null, createBlock: r["create-block"] ?? null };
  }
  const { schema_date: schemaDate } = readJson(path.join(schemas, "version.json"));
  return `${JSON.stringify(
    {
      source: `cfn-lint ${version} (PyPI), cfnlint/data: CloudFormation registry schemas per Region and LmbdRuntimeLifecycle.json`,
      schemaDate,
      referenceRegion: REFERENCE_REGION,
      missingInChina: china,
      handlers,
      runtimes,
    },
    null,
    2,
  )}\n`;
}

if (require.main === module) {
  const [dataDir, version] = process.argv.slice(2);
  if (!dataDir || !version) {
    process.stderr.write(
      "usage: node scripts/cfn-data.js <cfnlint/data folder> <cfn-lint version>\n",
    );
    process.exit(2);
  }
  fs.mkdirSync(path.dirname(OUT), { recursive: true });
  fs.writeFileSync(OUT, generate(dataDir, version));
  process.stderr.write(`wrote ${path.relative(process.cwd(), OUT)}\n`);
}

module.exports = { generate, HANDLER_TYPES, OUT };

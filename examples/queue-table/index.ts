import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as path from "path";
import type { TargetContext } from "../../stacks/appContext";

/**
 * An app module: an order queue, an order table and the function that takes
 * orders, in every target of an environment (a global Region and China
 * alike). Pulumi.global.yaml names it:
 *
 *   silkroute:app:
 *     program: examples/queue-table/index.ts
 *     manages: [queue, table]
 *     functionsUse: [queue, table]
 */
export default function ordersApp(ctx: TargetContext) {
  const opts = { provider: ctx.provider };
  const tags = ctx.tags;

  const queue = new aws.sqs.Queue(
    "orders-queue",
    { name: ctx.name("orders"), sqsManagedSseEnabled: true, messageRetentionSeconds: 345600, tags },
    opts,
  );
  const table = new aws.dynamodb.Table(
    "orders-table",
    {
      name: ctx.name("orders"),
      billingMode: "PAY_PER_REQUEST",
      hashKey: "id",
      attributes: [{ name: "id", type: "S" }],
      pointInTimeRecovery: { enabled: true },
      serverSideEncryption: { enabled: true },
      tags,
    },
    opts,
  );

  const functionName = ctx.name("take-order");
  const logs = new aws.cloudwatch.LogGroup(
    "take-order-logs",
    { name: `/aws/lambda/${functionName}`, retentionInDays: 90, tags },
    opts,
  );
  // IAM names are per account: one role per target of the environment.
  const role = new aws.iam.Role(
    "take-order-role",
    {
      name: ctx.globalName("take-order"),
      permissionsBoundary: ctx.permissionsBoundaryArn,
      assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Allow",
            Principal: { Service: ctx.servicePrincipal("lambda") },
            Action: "sts:AssumeRole",
          },
        ],
      }),
      tags,
    },
    opts,
  );
  const policy = new aws.iam.RolePolicy(
    "take-order-policy",
    {
      role: role.name,
      name: "take-orders",
      policy: pulumi.jsonStringify({
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Allow",
            Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
            Resource: [logs.arn, pulumi.interpolate`${logs.arn}:*`],
          },
          { Effect: "Allow", Action: ["sqs:SendMessage"], Resource: [queue.arn] },
          {
            Effect: "Allow",
            Action: ["dynamodb:PutItem", "dynamodb:GetItem"],
            Resource: [table.arn],
          },
        ],
      }),
    },
    opts,
  );

  const code = ctx.uploadCode("take-order", path.join(__dirname, "handler"));
  const fn = new aws.lambda.Function(
    "take-order",
    {
      name: functionName,
      role: role.arn,
      runtime: "nodejs22.x",
      handler: "index.handler",
      architectures: ["x86_64"],
      s3Bucket: code.bucket,
      s3Key: code.key,
      memorySize: 128,
      timeout: 10,
      environment: {
        variables: { QUEUE_URL: queue.url, TABLE_NAME: table.name, APP_VERSION: ctx.version },
      },
      tags,
    },
    { ...opts, dependsOn: [logs, policy] },
  );

  return { functionName: fn.name, queueName: queue.name, tableName: table.name };
}

/*
 * How the pre-flight reads a planned resource: the CloudFormation type whose
 * handlers' permissions say what creating and updating it needs (AWS's
 * registry schemas, cfnData.json), and where its own name is, for its ARN.
 * Pulumi types by token, template resources by their CloudFormation type
 * (SAM's by what the transform makes of them). Where names differ between
 * Pulumi, CloudFormation and IAM, this table says so; the actions never come
 * from here.
 */

export interface ResourceTypeInfo {
  /** The CloudFormation type whose handlers' permissions apply. */
  readonly cfnType: string;
  /** The resource's own name, or that of the resource it belongs to (a role policy's role). */
  readonly name: (inputs: Record<string, unknown>) => unknown;
}

const input =
  (...keys: string[]) =>
  (inputs: Record<string, unknown>) =>
    keys.map((k) => inputs[k]).find((v) => v !== undefined);

/** Pulumi type tokens (@pulumi/aws) of the kinds' resources. */
export const PULUMI_TYPES: Readonly<Record<string, ResourceTypeInfo>> = {
  "aws:lambda/function:Function": { cfnType: "AWS::Lambda::Function", name: input("name") },
  "aws:lambda/permission:Permission": {
    cfnType: "AWS::Lambda::Permission",
    name: input("function"),
  },
  "aws:iam/role:Role": { cfnType: "AWS::IAM::Role", name: input("name") },
  "aws:iam/rolePolicy:RolePolicy": { cfnType: "AWS::IAM::RolePolicy", name: input("role") },
  "aws:cloudwatch/logGroup:LogGroup": { cfnType: "AWS::Logs::LogGroup", name: input("name") },
  "aws:sqs/queue:Queue": { cfnType: "AWS::SQS::Queue", name: input("name") },
  "aws:sqs/queuePolicy:QueuePolicy": { cfnType: "AWS::SQS::QueuePolicy", name: input("queueUrl") },
  "aws:sns/topic:Topic": { cfnType: "AWS::SNS::Topic", name: input("name") },
  "aws:sns/topicPolicy:TopicPolicy": { cfnType: "AWS::SNS::TopicPolicy", name: input("arn") },
  "aws:sns/topicSubscription:TopicSubscription": {
    cfnType: "AWS::SNS::Subscription",
    name: input("topic"),
  },
  "aws:dynamodb/table:Table": { cfnType: "AWS::DynamoDB::Table", name: input("name") },
  "aws:s3/bucketV2:BucketV2": { cfnType: "AWS::S3::Bucket", name: input("bucket") },
  "aws:s3/bucket:Bucket": { cfnType: "AWS::S3::Bucket", name: input("bucket") },
  "aws:s3/bucketPolicy:BucketPolicy": { cfnType: "AWS::S3::BucketPolicy", name: input("bucket") },
  "aws:cloudwatch/eventRule:EventRule": { cfnType: "AWS::Events::Rule", name: input("name") },
  "aws:cloudwatch/metricAlarm:MetricAlarm": {
    cfnType: "AWS::CloudWatch::Alarm",
    name: input("name"),
  },
  "aws:sfn/stateMachine:StateMachine": {
    cfnType: "AWS::StepFunctions::StateMachine",
    name: input("name"),
  },
  "aws:apigateway/restApi:RestApi": { cfnType: "AWS::ApiGateway::RestApi", name: input("name") },
  "aws:apigatewayv2/api:Api": { cfnType: "AWS::ApiGatewayV2::Api", name: input("name") },
  "aws:cloudformation/stack:Stack": { cfnType: "AWS::CloudFormation::Stack", name: input("name") },
};

/** The name property of a template resource's type (absent: CloudFormation generates one). */
export const CFN_NAME_PROPERTY: Readonly<Record<string, string>> = {
  "AWS::Lambda::Function": "FunctionName",
  "AWS::Serverless::Function": "FunctionName",
  "AWS::IAM::Role": "RoleName",
  "AWS::Logs::LogGroup": "LogGroupName",
  "AWS::SQS::Queue": "QueueName",
  "AWS::SNS::Topic": "TopicName",
  "AWS::DynamoDB::Table": "TableName",
  "AWS::Serverless::SimpleTable": "TableName",
  "AWS::S3::Bucket": "BucketName",
  "AWS::Events::Rule": "Name",
  "AWS::CloudWatch::Alarm": "AlarmName",
  "AWS::StepFunctions::StateMachine": "StateMachineName",
  "AWS::Serverless::StateMachine": "Name",
  "AWS::ApiGateway::RestApi": "Name",
  "AWS::ApiGatewayV2::Api": "Name",
  "AWS::Serverless::Api": "Name",
  "AWS::Serverless::HttpApi": "Name",
};

/** SAM's types by the CloudFormation type whose handlers apply (the transform expands them). */
export const SAM_TYPES: Readonly<Record<string, string>> = {
  "AWS::Serverless::Function": "AWS::Lambda::Function",
  "AWS::Serverless::SimpleTable": "AWS::DynamoDB::Table",
  "AWS::Serverless::Api": "AWS::ApiGateway::RestApi",
  "AWS::Serverless::HttpApi": "AWS::ApiGatewayV2::Api",
  "AWS::Serverless::StateMachine": "AWS::StepFunctions::StateMachine",
  "AWS::Serverless::Application": "AWS::CloudFormation::Stack",
};

import { GetParameterCommand, SSMClient } from "@aws-sdk/client-ssm";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { IAMClient } from "@aws-sdk/client-iam";
import { ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import { mockClient } from "aws-sdk-client-mock";
import { CHINA_BUCKET, KEY_ID, SECRET_KEY } from "./driver";

/** An AWS SDK service error as the SDK raises it. */
export function awsError(name: string, message = name): Error {
  return Object.assign(new Error(message), { name, $metadata: {}, $fault: "client" });
}

/**
 * SSM holding dev's China key and bucket under the seed's names, STS
 * accepting the key, and artifact buckets with no code zips yet.
 */
export function mockAws() {
  const ssm = mockClient(SSMClient);
  const sts = mockClient(STSClient);
  const iam = mockClient(IAMClient);
  const s3 = mockClient(S3Client);
  s3.on(ListObjectsV2Command).resolves({ Contents: [] });
  ssm.on(GetParameterCommand).rejects(awsError("ParameterNotFound", "Parameter not found"));
  const values: Record<string, string> = {
    "/China/Dev/UserAccessKey": KEY_ID,
    "/China/Dev/UserSecretKey": SECRET_KEY,
    "/China/Dev/DeploymentS3Bucket": CHINA_BUCKET,
    "/US/Dev/DeploymentS3Bucket": "silkroute-artifacts-us-east-1",
  };
  for (const [Name, Value] of Object.entries(values)) {
    ssm
      .on(GetParameterCommand, { Name, WithDecryption: true })
      .resolves({ Parameter: { Name, Value } });
  }
  sts.on(GetCallerIdentityCommand).resolves({
    Account: "444444444444",
    Arn: "arn:aws-cn:iam::444444444444:user/silkroute-dev-deployer",
  });
  return {
    ssm,
    sts,
    iam,
    s3,
    restore() {
      ssm.restore();
      sts.restore();
      iam.restore();
      s3.restore();
    },
  };
}

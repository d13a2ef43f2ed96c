import { GetParameterCommand } from "@aws-sdk/client-ssm";
import { planArtifactBuckets } from "../../automation/driver/artifactBuckets";
import { CliError, ExitCode } from "../../automation/exitCodes";
import { mockAws } from "../helpers/awsMocks";
import { pipelineEnv, run } from "../helpers/driver";

const ENV_REGIONS = ["us-east-1", "eu-west-1"];
const BOTH = ["us-east-1", "eu-west-1"];

function usageError(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(CliError);
    expect((error as CliError).exitCode).toBe(ExitCode.Usage);
    return (error as Error).message;
  }
  throw new Error("expected a usage error");
}

describe("planArtifactBuckets", () => {
  it("takes <region>=<bucket> for each Region", () => {
    // given / when
    const plan = planArtifactBuckets(
      BOTH,
      ENV_REGIONS,
      "us-east-1",
      ["us-east-1=a-use1", "eu-west-1=a-euw1"],
      undefined,
    );
    // then
    expect(plan).toEqual({ given: { "us-east-1": "a-use1", "eu-west-1": "a-euw1" } });
  });

  it("leaves the pipeline Region to the SSM parameter when no bucket names it", () => {
    // given / when
    const plan = planArtifactBuckets(BOTH, ENV_REGIONS, "us-east-1", ["eu-west-1=a-euw1"], "");
    // then
    expect(plan).toEqual({ given: { "eu-west-1": "a-euw1" }, fromParameter: "us-east-1" });
  });

  it("takes a plain bucket or SILKROUTE_ARTIFACT_BUCKET when one Region is selected", () => {
    // given / when
    const flag = planArtifactBuckets(["eu-west-1"], ENV_REGIONS, "us-east-1", ["a-euw1"], "env-b");
    const variable = planArtifactBuckets(["eu-west-1"], ENV_REGIONS, "us-east-1", [], "env-b");
    // then
    expect(flag.given).toEqual({ "eu-west-1": "a-euw1" });
    expect(variable.given).toEqual({ "eu-west-1": "env-b" });
  });

  it("refuses one plain bucket for several Regions, naming the per-Region flags", () => {
    // given / when
    const message = usageError(() =>
      planArtifactBuckets(BOTH, ENV_REGIONS, "us-east-1", ["shared"], undefined),
    );
    // then
    expect(message).toMatch(/--artifact-bucket shared names one artifact bucket but 2 global/);
    expect(message).toContain(
      "--artifact-bucket us-east-1=<bucket> --artifact-bucket eu-west-1=<bucket>",
    );
  });

  it("refuses SILKROUTE_ARTIFACT_BUCKET for several Regions unless the flags name them all", () => {
    // given / when
    const message = usageError(() =>
      planArtifactBuckets(BOTH, ENV_REGIONS, "us-east-1", ["eu-west-1=a"], "env-b"),
    );
    const covered = planArtifactBuckets(
      BOTH,
      ENV_REGIONS,
      "us-east-1",
      ["eu-west-1=a", "us-east-1=b"],
      "env-b",
    );
    // then
    expect(message).toMatch(/^SILKROUTE_ARTIFACT_BUCKET names one artifact bucket/);
    expect(covered.given).toEqual({ "us-east-1": "b", "eu-west-1": "a" });
  });

  it("reads SILKROUTE_ARTIFACT_BUCKET as a <region>=<bucket> list, flags first, other Regions ignored", () => {
    // given / when
    const plan = planArtifactBuckets(
      BOTH,
      ENV_REGIONS,
      "us-east-1",
      ["eu-west-1=from-flag"],
      "us-east-1=a-use1, eu-west-1=a-euw1,ap-south-1=a-aps1",
    );
    // then
    expect(plan).toEqual({ given: { "us-east-1": "a-use1", "eu-west-1": "from-flag" } });
  });

  it("refuses a list entry that is not <region>=<bucket>", () => {
    // given / when
    const message = usageError(() =>
      planArtifactBuckets(BOTH, ENV_REGIONS, "us-east-1", [], "us-east-1=a,plain-bucket"),
    );
    // then
    expect(message).toMatch(/^SILKROUTE_ARTIFACT_BUCKET: "plain-bucket" is not <region>=<bucket>/);
  });

  it("refuses a Region other than the pipeline's without a bucket", () => {
    // given / when
    const message = usageError(() =>
      planArtifactBuckets(["eu-west-1"], ENV_REGIONS, "us-east-1", [], undefined),
    );
    // then
    expect(message).toMatch(
      /^no artifact bucket for eu-west-1: .* --artifact-bucket eu-west-1=<bucket>/,
    );
    expect(message).toContain("pulumi stack output artifactBuckets --stack global");
  });

  it("refuses a Region the environment does not deploy to, and a malformed bucket", () => {
    // given / when
    const region = usageError(() =>
      planArtifactBuckets(BOTH, ENV_REGIONS, "us-east-1", ["us-east1=a"], undefined),
    );
    const bucket = usageError(() =>
      planArtifactBuckets(BOTH, ENV_REGIONS, "us-east-1", ["eu-west-1=Bad_Bucket"], undefined),
    );
    // then
    expect(region).toMatch(/"us-east1" is not a global Region of the environment/);
    expect(bucket).toMatch(/"Bad_Bucket" is not an S3 bucket name/);
  });

  it("refuses two buckets for one Region", () => {
    // given / when
    const message = usageError(() =>
      planArtifactBuckets(BOTH, ENV_REGIONS, "us-east-1", ["eu-west-1=a", "eu-west-1=b"], ""),
    );
    // then
    expect(message).toMatch(/names two buckets for eu-west-1 \(a, b\)/);
  });
});

describe("silkroute deploy with several global Regions", () => {
  let aws: ReturnType<typeof mockAws>;
  beforeEach(() => (aws = mockAws()));
  afterEach(() => aws.restore());

  it("an ambiguous SILKROUTE_ARTIFACT_BUCKET is a usage error before any AWS call or Pulumi operation", async () => {
    // given
    const env = pipelineEnv({ SILKROUTE_ARTIFACT_BUCKET: "one-bucket" });
    // when
    const { code, err, fake } = await run(["deploy", "--env", "dev", "--target", "all"], { env });
    // then
    expect(code).toBe(ExitCode.Usage);
    expect(err.join("\n")).toMatch(/SILKROUTE_ARTIFACT_BUCKET names one artifact bucket but 2/);
    expect(aws.ssm.commandCalls(GetParameterCommand)).toHaveLength(0);
    expect(aws.sts.calls()).toHaveLength(0);
    expect(fake.calls).toHaveLength(0);
  });

  it("a Region without a bucket is a usage error naming the flag", async () => {
    // given / when
    const { code, err, fake } = await run(["preview", "--env", "dev", "--target", "global"]);
    // then
    expect(code).toBe(ExitCode.Usage);
    expect(err.join("\n")).toContain("pass --artifact-bucket eu-west-1=<bucket>");
    expect(fake.calls).toHaveLength(0);
  });
});

import { readBuildspec } from "../../components/buildspecs";
import {
  ScheduledBuild,
  ScheduledBuildArgs,
  validateScheduledBuildArgs,
} from "../../components/scheduledBuild";
import { evaluate, inputsOf, only, policyOf, providerFor } from "../helpers/pulumi";

const ARGS = {
  projectName: "silkroute-operations",
  description: "checks",
  buildspec: "operations" as const,
  roleArn: "arn:aws:iam::123456789012:role/silkroute-operations",
  source: { type: "codecommit" as const, cloneUrl: "https://git/x", repository: "x" },
  sourceVersion: "refs/heads/main",
  encryptionKeyArn: "arn:aws:kms:us-east-1:123456789012:key/k",
  cacheBucket: "silkroute-artifacts-us-east-1",
  scheduleExpression: "rate(1 day)",
  variables: { SILKROUTE_CHECKS: "dev,all,dev-us-east-1,keys" },
  image: "aws/codebuild/standard:7.0",
};

describe("ScheduledBuild", () => {
  const program =
    (args: ScheduledBuildArgs = ARGS) =>
    () => {
      const b = new ScheduledBuild("operations", args, { provider: providerFor("us-east-1") });
      return { projectArn: b.projectArn };
    };

  it("runs the repository's branch with the buildspec inline, unprivileged, as the given role", async () => {
    // given / when
    const stack = await evaluate(program());
    // then
    const project = inputsOf(only(stack, "aws:codebuild/project:Project"));
    expect(project).toMatchObject({
      name: "silkroute-operations",
      serviceRole: ARGS.roleArn,
      encryptionKey: ARGS.encryptionKeyArn,
      sourceVersion: "refs/heads/main",
      source: { type: "CODECOMMIT", location: "https://git/x", gitCloneDepth: 0 },
      environment: { privilegedMode: false },
      cache: {
        type: "S3",
        location: "silkroute-artifacts-us-east-1/codebuild-cache/silkroute-operations",
      },
    });
    expect(project.source.buildspec).toBe(readBuildspec("operations"));
    expect(project.environment.environmentVariables).toEqual([
      { name: "SILKROUTE_CHECKS", value: "dev,all,dev-us-east-1,keys", type: "PLAINTEXT" },
    ]);
  });

  it("keeps no cache without a cache bucket", async () => {
    const stack = await evaluate(program({ ...ARGS, cacheBucket: undefined }));
    expect(inputsOf(only(stack, "aws:codebuild/project:Project")).cache).toEqual({
      type: "NO_CACHE",
    });
  });

  it("starts it on schedule, exactly on time, with a role that may start this project alone", async () => {
    // given / when
    const stack = await evaluate(program());
    // then
    const schedule = inputsOf(only(stack, "aws:scheduler/schedule:Schedule"));
    const projectArn = (await evaluate(program())).outputs.projectArn;
    expect(schedule).toMatchObject({
      scheduleExpression: "rate(1 day)",
      flexibleTimeWindow: { mode: "OFF" },
      state: "ENABLED",
      target: { arn: projectArn },
    });
    const role = only(stack, "aws:iam/role:Role");
    expect(inputsOf(role).name).toBe("silkroute-operationsschedule");
    expect(policyOf(role, "assumeRolePolicy").Statement).toEqual([
      {
        Effect: "Allow",
        Principal: { Service: "scheduler.amazonaws.com" },
        Action: "sts:AssumeRole",
        Condition: { StringEquals: { "aws:SourceAccount": expect.stringMatching(/^\d{12}$/) } },
      },
    ]);
    expect(policyOf(only(stack, "aws:iam/rolePolicy:RolePolicy")).Statement).toEqual([
      expect.objectContaining({ Action: ["codebuild:StartBuild"], Resource: [projectArn] }),
    ]);
  });

  it("validates the project name and the schedule expression", () => {
    expect(validateScheduledBuildArgs(ARGS)).toBeUndefined();
    expect(validateScheduledBuildArgs({ ...ARGS, projectName: "x" })).toMatch(/projectName/);
    expect(
      validateScheduledBuildArgs({ ...ARGS, scheduleExpression: "at(2026-01-01T00:00:00)" }),
    ).toMatch(/rate\(…\) or cron\(…\)/);
  });
});

import { BuildProjects } from "../../components/buildProjects";
import { PipelineSource } from "../../components/pipelineSource";
import {
  codeCommitPrInput,
  gitHubFilterGroups,
  PrTrigger,
  validatePrTriggerArgs,
} from "../../components/prTrigger";
import { ENUM_POLICIES } from "../../automation/policies/sdkEnums";
import { evaluate, inputsOf, ofType, only, providerFor } from "../helpers/pulumi";
import { messages, planned, policyNamed } from "../helpers/planned";

const REPO = "arn:aws:codecommit:us-east-1:123456789012:silkroute-app";
const PROJECT = "arn:aws:codebuild:us-east-1:123456789012:project/silkroute-pr-preview";
const EVENTS_ROLE = "arn:aws:iam::123456789012:role/events";

describe("PrTrigger on CodeCommit", () => {
  const program = () => {
    new PrTrigger(
      "pr",
      { type: "codecommit", repositoryArn: REPO, projectArn: PROJECT, eventsRoleArn: EVENTS_ROLE },
      { provider: providerFor("us-east-1") },
    );
    return {};
  };

  it("matches new and updated open pull requests of the repository", async () => {
    // given / when
    const stack = await evaluate(program);
    // then
    const rule = only(stack, "aws:cloudwatch/eventRule:EventRule");
    expect(JSON.parse(inputsOf(rule).eventPattern)).toEqual({
      source: ["aws.codecommit"],
      "detail-type": ["CodeCommit Pull Request State Change"],
      resources: [REPO],
      detail: {
        event: ["pullRequestCreated", "pullRequestSourceBranchUpdated"],
        pullRequestStatus: ["Open"],
      },
    });
    expect(rule.region).toBe("us-east-1");
  });

  it("starts the pr-preview project through the events role", async () => {
    // given / when
    const stack = await evaluate(program);
    // then
    const target = inputsOf(only(stack, "aws:cloudwatch/eventTarget:EventTarget"));
    expect(target.arn).toBe(PROJECT);
    expect(target.roleArn).toBe(EVENTS_ROLE);
    expect(target.rule).toBe(only(stack, "aws:cloudwatch/eventRule:EventRule").state.name);
  });

  it("builds the PR's source commit and passes the PR, repository and commits", async () => {
    // given
    const stack = await evaluate(program);
    const transformer = inputsOf(only(stack, "aws:cloudwatch/eventTarget:EventTarget"))
      .inputTransformer as { inputPaths: Record<string, string>; inputTemplate: string };
    const event: Record<string, string> = {
      pullRequestId: "42",
      repositoryName: "silkroute-app",
      sourceCommit: "abc123",
      destinationCommit: "def456",
    };
    // when: EventBridge substitutes each <placeholder>
    const startBuild = JSON.parse(
      transformer.inputTemplate.replace(/<(\w+)>/g, (_, key: string) => event[key]),
    );
    // then
    expect(transformer.inputPaths).toEqual({
      pullRequestId: "$.detail.pullRequestId",
      repositoryName: "$.detail.repositoryNames[0]",
      sourceCommit: "$.detail.sourceCommit",
      destinationCommit: "$.detail.destinationCommit",
    });
    expect(startBuild).toEqual({
      sourceVersion: "abc123",
      environmentVariablesOverride: [
        { name: "SILKROUTE_PR", value: "42", type: "PLAINTEXT" },
        { name: "SILKROUTE_REPOSITORY", value: "silkroute-app", type: "PLAINTEXT" },
        { name: "SILKROUTE_SOURCE_COMMIT", value: "abc123", type: "PLAINTEXT" },
        { name: "SILKROUTE_DESTINATION_COMMIT", value: "def456", type: "PLAINTEXT" },
      ],
    });
  });

  it("uses every input path in the template and no other placeholder", () => {
    // given
    const { inputPaths, inputTemplate } = codeCommitPrInput();
    // when
    const used = new Set([...inputTemplate.matchAll(/<(\w+)>/g)].map((m) => m[1]));
    // then
    expect(used).toEqual(new Set(Object.keys(inputPaths)));
  });
});

describe("PrTrigger on GitHub", () => {
  // The whole GitHub variant: connection → pr-preview from GitHub → webhook.
  const program = () => {
    const provider = providerFor("us-east-1");
    const source = new PipelineSource(
      "source",
      { source: { type: "github", repository: "acme/app", branch: "main" } },
      { provider },
    );
    const projects = new BuildProjects(
      "projects",
      {
        prefix: "silkroute",
        pipelineRegion: "us-east-1",
        regionProviders: { "us-east-1": provider },
        artifactKeyArns: { "us-east-1": "arn:aws:kms:us-east-1:123456789012:key/k" },
        codeBuildRoleArn: "arn:aws:iam::123456789012:role/codebuild",
        environments: [
          {
            name: "dev",
            globalRegions: ["us-east-1"],
            china: true,
            chinaParameterPrefix: "/China/Dev",
          },
        ],
        deployRoleArns: { dev: "arn:aws:iam::123456789012:role/silkroute-deploy-dev" },
        image: "aws/codebuild/standard:7.0",
        pulumiVersion: "3.248.0",
        pulumiSha256: "a13732d8921f99d70b9ae270d79c3b575bb37707fce7486e64fef333afc11ae0",
        backendUrl: "s3://state?region=us-east-1",
        secretsProvider: "awskms://alias/state?region=us-east-1",
        previewEnvironment: "dev",
        previewSource: {
          type: "github",
          cloneUrl: source.cloneUrl,
          repository: source.repositoryName,
          connectionArn: source.connectionArn!,
        },
      },
      { provider },
    );
    new PrTrigger(
      "pr",
      { type: "github", projectName: projects.prPreviewProject.name, baseBranch: "main" },
      { provider },
    );
    return {};
  };

  it("creates a connection and a webhook, and no EventBridge rule", async () => {
    // given / when
    const stack = await evaluate(program);
    // then
    expect(only(stack, "aws:codeconnections/connection:Connection").region).toBe("us-east-1");
    expect(ofType(stack, "aws:codebuild/webhook:Webhook")).toHaveLength(1);
    expect(ofType(stack, "aws:cloudwatch/eventRule:EventRule")).toHaveLength(0);
  });

  it("hooks the pr-preview project on created, updated and reopened pull requests into main", async () => {
    // given / when
    const stack = await evaluate(program);
    // then
    const webhook = inputsOf(only(stack, "aws:codebuild/webhook:Webhook"));
    expect(webhook.projectName).toBe("silkroute-pr-preview");
    expect(webhook.buildType).toBe("BUILD");
    expect(webhook.filterGroups).toEqual([
      {
        filters: [
          {
            type: "EVENT",
            pattern: "PULL_REQUEST_CREATED, PULL_REQUEST_UPDATED, PULL_REQUEST_REOPENED",
          },
          { type: "BASE_REF", pattern: "^refs/heads/main$" },
        ],
      },
    ]);
  });

  it("makes fork pull requests wait for a maintainer's approval", async () => {
    // given / when
    const stack = await evaluate(program);
    // then
    expect(inputsOf(only(stack, "aws:codebuild/webhook:Webhook")).pullRequestBuildPolicy).toEqual({
      requiresCommentApproval: "FORK_PULL_REQUESTS",
      approverRoles: ["GITHUB_ADMIN", "GITHUB_MAINTAIN", "GITHUB_WRITE"],
    });
  });

  it("sets only values CodeBuild takes (GITHUB_MAINTAINER was not one)", async () => {
    // given
    const stack = await evaluate(program);
    const webhook = inputsOf(only(stack, "aws:codebuild/webhook:Webhook"));
    // when
    const found = messages(
      policyNamed(ENUM_POLICIES, "aws-enum-values"),
      planned("aws:codebuild/webhook:Webhook", webhook),
    );
    // then
    expect(found).toEqual([]);
  });

  it("checks pr-preview out of GitHub with the connection", async () => {
    // given / when
    const stack = await evaluate(program);
    // then
    const preview = ofType(stack, "aws:codebuild/project:Project").find(
      (r) => inputsOf(r).name === "silkroute-pr-preview",
    )!;
    const connection = only(stack, "aws:codeconnections/connection:Connection");
    expect(inputsOf(preview).source).toMatchObject({
      type: "GITHUB",
      location: "https://github.com/acme/app.git",
    });
    // toEqual: `resource` is undefined until the mock engine gives codeconnections ARNs.
    expect(inputsOf(preview).source.auth).toEqual({
      type: "CODECONNECTIONS",
      resource: connection.state.arn,
    });
  });

  it("escapes the base branch in the webhook's pattern", () => {
    expect(gitHubFilterGroups("release/1.x")[0].filters[1].pattern).toBe(
      "^refs/heads/release/1\\.x$",
    );
    expect(gitHubFilterGroups()[0].filters).toHaveLength(1);
  });

  it("rejects an empty base branch", () => {
    expect(validatePrTriggerArgs({ type: "github", projectName: "p", baseBranch: " " })).toBe(
      "baseBranch must be a branch name when given, got an empty string",
    );
  });
});

import {
  PipelineSource,
  PipelineSourceArgs,
  validatePipelineSourceArgs,
} from "../../components/pipelineSource";
import { evaluate, inputsOf, only, promiseOf, providerFor } from "../helpers/pulumi";

const codeCommit: PipelineSourceArgs = {
  source: { type: "codecommit", repositoryName: "silkroute-app", branch: "main" },
  kmsKeyId: "arn:aws:kms:us-east-1:123456789012:key/repo",
};
const gitHub: PipelineSourceArgs = {
  source: { type: "github", repository: "acme/app", branch: "release" },
};

const program = (args: PipelineSourceArgs) => async () => {
  const source = new PipelineSource("source", args, { provider: providerFor("us-east-1") });
  return {
    sourceArn: await promiseOf(source.sourceArn),
    sourceAction: await promiseOf(source.sourceAction),
    cloneUrl: await promiseOf(source.cloneUrl),
    repositoryName: await promiseOf(source.repositoryName),
    sourceType: source.sourceType,
  };
};

describe("PipelineSource", () => {
  it("creates the CodeCommit repository, encrypted with the given key", async () => {
    // given / when
    const stack = await evaluate(program(codeCommit));
    // then
    const repo = only(stack, "aws:codecommit/repository:Repository");
    expect(inputsOf(repo)).toMatchObject({
      repositoryName: "silkroute-app",
      kmsKeyId: "arn:aws:kms:us-east-1:123456789012:key/repo",
    });
    expect(repo.region).toBe("us-east-1");
    expect(stack.outputs.sourceArn).toBe(repo.state.arn);
  });

  it("gives a CodeCommit Source action that does not poll and emits a CODE_ZIP artifact", async () => {
    // given / when
    const stack = await evaluate(program(codeCommit));
    // then
    expect(stack.outputs.sourceAction).toEqual({
      name: "Source",
      category: "Source",
      owner: "AWS",
      provider: "CodeCommit",
      version: "1",
      runOrder: 1,
      namespace: "SourceVariables",
      outputArtifacts: ["SourceOutput"],
      configuration: {
        RepositoryName: "silkroute-app",
        BranchName: "main",
        PollForSourceChanges: "false",
        OutputArtifactFormat: "CODE_ZIP",
      },
    });
  });

  it("exposes the CodeCommit HTTPS clone URL and the repository name", async () => {
    // given / when
    const stack = await evaluate(program(codeCommit));
    // then
    expect(stack.outputs.cloneUrl).toBe(
      "https://git-codecommit.us-east-1.amazonaws.com/v1/repos/silkroute-app",
    );
    expect(stack.outputs.repositoryName).toBe("silkroute-app");
    expect(stack.outputs.sourceType).toBe("codecommit");
  });

  it("reaches GitHub through a CodeConnections connection instead of a repository", async () => {
    // given / when
    const stack = await evaluate(program(gitHub));
    // then
    const connection = only(stack, "aws:codeconnections/connection:Connection");
    expect(inputsOf(connection)).toMatchObject({ name: "source", providerType: "GitHub" });
    expect(stack.resources.some((r) => r.type.startsWith("aws:codecommit/"))).toBe(false);
    expect(stack.outputs.sourceArn).toBe(connection.state.arn);
  });

  it("gives a CodeStarSourceConnection Source action for the GitHub repository and branch", async () => {
    // given / when
    const stack = await evaluate(program(gitHub));
    // then
    const connection = only(stack, "aws:codeconnections/connection:Connection");
    const action = stack.outputs.sourceAction as { provider: string; configuration: object };
    expect(action.provider).toBe("CodeStarSourceConnection");
    expect(action.configuration).toEqual({
      // toEqual: undefined until the mock engine gives codeconnections ARNs.
      ConnectionArn: connection.state.arn,
      FullRepositoryId: "acme/app",
      BranchName: "release",
      DetectChanges: "true",
      OutputArtifactFormat: "CODE_ZIP",
    });
    expect(stack.outputs.cloneUrl).toBe("https://github.com/acme/app.git");
    expect(stack.outputs.repositoryName).toBe("acme/app");
  });

  it("rejects a GitHub repository that is not owner/repo", () => {
    expect(
      validatePipelineSourceArgs({
        source: { type: "github", repository: "app", branch: "main" },
      }),
    ).toBe('source.repository must be owner/repo, got "app"');
  });

  it("rejects a CodeCommit repository name with a space and a branch with a colon", () => {
    expect(
      validatePipelineSourceArgs({
        source: { type: "codecommit", repositoryName: "my app", branch: "main" },
      }),
    ).toMatch(/^source.repositoryName must be 1-100 letters/);
    expect(
      validatePipelineSourceArgs({
        source: { type: "codecommit", repositoryName: "app", branch: "a:b" },
      }),
    ).toBe('source.branch must be a Git branch name, got "a:b"');
  });

  it("rejects a connection name longer than 32 characters", () => {
    expect(validatePipelineSourceArgs({ ...gitHub, connectionName: "x".repeat(33) })).toMatch(
      /^connectionName must be 1-32/,
    );
    expect(validatePipelineSourceArgs(gitHub)).toBeUndefined();
    expect(validatePipelineSourceArgs(codeCommit)).toBeUndefined();
  });
});

import { CliError, ExitCode } from "../../../automation/exitCodes";
import {
  codeCommitTarget,
  gitHubTarget,
  parseCodeCommitUrl,
  parseGitHubUrl,
  pullRequestId,
} from "../../../automation/comments/source";

function thrown(run: () => unknown): CliError {
  try {
    run();
  } catch (e) {
    expect(e).toBeInstanceOf(CliError);
    return e as CliError;
  }
  throw new Error("expected a CliError");
}

describe("pullRequestId", () => {
  it("prefers --pr, then SILKROUTE_PR, then the CodeBuild webhook trigger", () => {
    expect(pullRequestId("3", { SILKROUTE_PR: "4", CODEBUILD_WEBHOOK_TRIGGER: "pr/5" })).toBe("3");
    expect(pullRequestId(undefined, { SILKROUTE_PR: "4", CODEBUILD_WEBHOOK_TRIGGER: "pr/5" })).toBe(
      "4",
    );
    expect(pullRequestId(undefined, { CODEBUILD_WEBHOOK_TRIGGER: "pr/5" })).toBe("5");
  });

  it("is a usage error naming what to set when a branch build has no PR", () => {
    // when
    const error = thrown(() =>
      pullRequestId(undefined, { CODEBUILD_WEBHOOK_TRIGGER: "branch/main" }),
    );

    // then
    expect(error.exitCode).toBe(ExitCode.Usage);
    expect(error.message).toMatch(/--pr <id>.*SILKROUTE_PR.*CODEBUILD_WEBHOOK_TRIGGER=pr\/<n>/);
  });

  it("rejects an id that is not a number", () => {
    expect(thrown(() => pullRequestId("7; rm -rf", {})).exitCode).toBe(ExitCode.Usage);
  });
});

describe("parseGitHubUrl", () => {
  it.each([
    ["https://github.com/octo/app.git", "github.com", "octo/app"],
    ["https://github.com/octo/app", "github.com", "octo/app"],
    ["git@github.com:octo/app.git", "github.com", "octo/app"],
    ["ssh://git@ghe.corp.example/octo/app.git", "ghe.corp.example", "octo/app"],
  ])("reads %s", (url, host, repository) => {
    expect(parseGitHubUrl(url)).toEqual({ host, repository });
  });

  it("is undefined for a URL that names no owner/repo", () => {
    expect(parseGitHubUrl("https://github.com/octo")).toBeUndefined();
  });
});

describe("gitHubTarget", () => {
  it("takes the repository from the source URL and the public API by default", () => {
    // when
    const t = gitHubTarget(undefined, {
      GITHUB_TOKEN: "t",
      CODEBUILD_SOURCE_REPO_URL: "https://github.com/octo/app.git",
      CODEBUILD_WEBHOOK_TRIGGER: "pr/9",
    });

    // then
    expect(t).toEqual({
      apiBase: "https://api.github.com",
      owner: "octo",
      repo: "app",
      pr: "9",
      token: "t",
    });
  });

  it("prefers GITHUB_REPOSITORY and GITHUB_API_URL (GitHub Enterprise)", () => {
    // when
    const t = gitHubTarget("2", {
      GITHUB_TOKEN: "t",
      GITHUB_REPOSITORY: "team/svc",
      GITHUB_API_URL: "https://ghe.corp.example/api/v3/",
      CODEBUILD_SOURCE_REPO_URL: "https://github.com/octo/app.git",
    });

    // then
    expect(t).toMatchObject({
      apiBase: "https://ghe.corp.example/api/v3",
      owner: "team",
      repo: "svc",
    });
  });

  it("derives the Enterprise API from an Enterprise source URL", () => {
    // when
    const t = gitHubTarget("2", {
      GITHUB_TOKEN: "t",
      CODEBUILD_SOURCE_REPO_URL: "git@ghe.corp.example:team/svc.git",
    });

    // then
    expect(t.apiBase).toBe("https://ghe.corp.example/api/v3");
  });

  it("is a usage error naming GITHUB_REPOSITORY when no repository is known", () => {
    // when
    const error = thrown(() => gitHubTarget("2", { GITHUB_TOKEN: "t" }));

    // then
    expect(error.exitCode).toBe(ExitCode.Usage);
    expect(error.message).toMatch(/set GITHUB_REPOSITORY=owner\/repo/);
  });
});

describe("codeCommitTarget", () => {
  it("reads what the PR trigger passes", () => {
    // when
    const t = codeCommitTarget(undefined, {
      SILKROUTE_PR: "12",
      SILKROUTE_REPOSITORY: "app",
      SILKROUTE_SOURCE_COMMIT: "s",
      SILKROUTE_DESTINATION_COMMIT: "d",
    });

    // then
    expect(t).toEqual({ pr: "12", repositoryName: "app", afterCommitId: "s", beforeCommitId: "d" });
  });

  it("falls back to the repository in the source URL, leaving the commits to GetPullRequest", () => {
    // when
    const t = codeCommitTarget("12", {
      CODEBUILD_SOURCE_REPO_URL: "https://git-codecommit.cn-north-1.example.cn/v1/repos/app",
    });

    // then
    expect(t).toEqual({
      pr: "12",
      repositoryName: "app",
      afterCommitId: undefined,
      beforeCommitId: undefined,
    });
  });
});

describe("parseCodeCommitUrl", () => {
  it.each([
    ["https://git-codecommit.us-east-1.example/v1/repos/my-app", "my-app"],
    ["codecommit::us-east-1://my-app", "my-app"],
    ["codecommit://profile@my-app", "my-app"],
  ])("reads %s", (url, name) => {
    expect(parseCodeCommitUrl(url)).toBe(name);
  });
});

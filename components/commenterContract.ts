import { codeBuildEnum } from "./codeBuildEnums";

/*
 * What the PR comment poster's Lambda (automation/commenter/) and the
 * component that deploys it (prCommenter.ts) agree on: the environment
 * variables the component sets and the handler reads, and the CodeBuild
 * events the component's rule sends and the handler parses. Here, below
 * both, so the component imports nothing from the driver.
 */

/**
 * The poster's configuration: environment variables of its Lambda function,
 * set by the global stack (prCommenter.ts) from the deployed configuration,
 * never from a pull request.
 */
export const COMMENTER_VARIABLES = {
  /** `github` or `codecommit`. */
  provider: "SILKROUTE_COMMENT",
  /** The environment previewed: marks the comment. */
  env: "SILKROUTE_ENV",
  /** The pr-preview CodeBuild project whose builds are commented on. */
  project: "SILKROUTE_PREVIEW_PROJECT",
  /** The bucket the project uploads its results to. */
  bucket: "SILKROUTE_RESULT_BUCKET",
  /** CodeCommit repository name, or GitHub `owner/repo`. */
  repository: "SILKROUTE_REPOSITORY",
  /** GitHub: Secrets Manager secret (ARN or name) of the token. */
  tokenSecret: "SILKROUTE_GITHUB_TOKEN_SECRET",
  /** GitHub: API base URL (GitHub Enterprise Server). */
  apiUrl: "GITHUB_API_URL",
} as const;

/** The public GitHub API, unless GITHUB_API_URL names a GitHub Enterprise Server. */
export const GITHUB_API = "https://api.github.com";

/** The EventBridge detail type of a CodeBuild build's status change. */
export const BUILD_STATE_CHANGE = "CodeBuild Build State Change";

/**
 * The statuses that end a build, as the AWS SDK names them: every StatusType
 * but IN_PROGRESS. The poster's EventBridge rule matches these. From the
 * generated JSON: the offline plan, which builds the rule, loads no SDK client.
 */
export const BUILD_END_STATUSES: readonly string[] = codeBuildEnum("StatusType").filter(
  (s) => s !== codeBuildEnum("StatusType", "IN_PROGRESS"),
);

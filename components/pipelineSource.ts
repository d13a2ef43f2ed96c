import * as aws from "./aws";
import * as pulumi from "@pulumi/pulumi";
import type { PipelineAction } from "./pipelineStages";

/** The `source` config of the global stack (stacks/config/global.ts). */
export type SourceConfig =
  | { readonly type: "codecommit"; readonly repositoryName: string; readonly branch: string }
  | { readonly type: "github"; readonly repository: string; readonly branch: string };

export interface PipelineSourceArgs {
  /** Where the application's source lives: a CodeCommit repository or `owner/repo` on GitHub. */
  readonly source: SourceConfig;
  /** KMS key ARN that encrypts the CodeCommit repository. @default the AWS managed key */
  readonly kmsKeyId?: pulumi.Input<string>;
  /** Name of the CodeConnections connection (GitHub only, at most 32 characters). @default `${name}` */
  readonly connectionName?: string;
  /** Tags for the repository or connection. @default none */
  readonly tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

/** Name of the artifact the Source action emits. */
export const SOURCE_ARTIFACT = "SourceOutput";

const BRANCH = /^[^\s~^:?*[\\]+$/;

/** Validates PipelineSource args; returns the problem or undefined. */
export function validatePipelineSourceArgs(args: PipelineSourceArgs): string | undefined {
  const { source } = args;
  if (!BRANCH.test(source.branch)) {
    return `source.branch must be a Git branch name, got ${JSON.stringify(source.branch)}`;
  }
  if (source.type === "codecommit") {
    if (!/^[\w.-]{1,100}$/.test(source.repositoryName)) {
      return `source.repositoryName must be 1-100 letters, digits, '.', '_' or '-', got ${JSON.stringify(source.repositoryName)}`;
    }
    return undefined;
  }
  if (!/^[\w.-]+\/[\w.-]+$/.test(source.repository)) {
    return `source.repository must be owner/repo, got ${JSON.stringify(source.repository)}`;
  }
  if (args.connectionName !== undefined && !/^[\w.-]{1,32}$/.test(args.connectionName)) {
    return `connectionName must be 1-32 letters, digits, '.', '_' or '-', got ${JSON.stringify(args.connectionName)}`;
  }
  return undefined;
}

/** The CodePipeline Source action of a CodeCommit repository (push events start the pipeline). */
export function codeCommitSourceAction(repositoryName: string, branch: string): PipelineAction {
  return {
    name: "Source",
    category: "Source",
    owner: "AWS",
    provider: "CodeCommit",
    version: "1",
    runOrder: 1,
    namespace: "SourceVariables",
    outputArtifacts: [SOURCE_ARTIFACT],
    configuration: {
      RepositoryName: repositoryName,
      BranchName: branch,
      // An EventBridge rule starts the pipeline (see Pipeline's codeCommitTrigger).
      PollForSourceChanges: "false",
      OutputArtifactFormat: "CODE_ZIP",
    },
  };
}

/** The CodePipeline Source action of a GitHub repository reached through a connection. */
export function gitHubSourceAction(
  connectionArn: string,
  repository: string,
  branch: string,
): PipelineAction {
  return {
    name: "Source",
    category: "Source",
    owner: "AWS",
    provider: "CodeStarSourceConnection",
    version: "1",
    runOrder: 1,
    namespace: "SourceVariables",
    outputArtifacts: [SOURCE_ARTIFACT],
    configuration: {
      ConnectionArn: connectionArn,
      FullRepositoryId: repository,
      BranchName: branch,
      DetectChanges: "true",
      OutputArtifactFormat: "CODE_ZIP",
    },
  };
}

/**
 * The application's source: a CodeCommit repository (the default) or a
 * GitHub repository reached through a CodeConnections connection. The
 * connection is created PENDING; an administrator completes the handshake
 * once in the console (AWS offers no API for it).
 */
export class PipelineSource extends pulumi.ComponentResource {
  /** ARN of the CodeCommit repository or of the connection. */
  readonly sourceArn: pulumi.Output<string>;
  readonly sourceType: "codecommit" | "github";
  /** The pipeline's Source action. */
  readonly sourceAction: pulumi.Output<PipelineAction>;
  /** HTTPS clone URL (CodeCommit `cloneUrlHttp` or the GitHub URL). */
  readonly cloneUrl: pulumi.Output<string>;
  /** CodeCommit repository name, or `owner/repo` on GitHub. */
  readonly repositoryName: pulumi.Output<string>;
  /** The branch the pipeline deploys. */
  readonly branch: string;
  /** ARN of the connection (GitHub only). */
  readonly connectionArn?: pulumi.Output<string>;

  constructor(name: string, args: PipelineSourceArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super("silkroute:pipeline:PipelineSource", name, {}, opts);
    const problem = validatePipelineSourceArgs(args);
    if (problem) throw new pulumi.ResourceError(problem, this);
    const { source } = args;
    this.sourceType = source.type;
    this.branch = source.branch;

    if (source.type === "codecommit") {
      const repo = new aws.codecommit.Repository(
        `${name}-repository`,
        {
          repositoryName: source.repositoryName,
          description: "Application source deployed by the silkroute pipeline",
          kmsKeyId: args.kmsKeyId,
          tags: args.tags,
        },
        { parent: this },
      );
      this.sourceArn = repo.arn;
      this.cloneUrl = repo.cloneUrlHttp;
      this.repositoryName = repo.repositoryName;
      this.sourceAction = repo.repositoryName.apply((repoName) =>
        codeCommitSourceAction(repoName, source.branch),
      );
    } else {
      const connection = new aws.codeconnections.Connection(
        `${name}-connection`,
        { name: args.connectionName ?? name, providerType: "GitHub", tags: args.tags },
        { parent: this },
      );
      this.connectionArn = connection.arn;
      this.sourceArn = connection.arn;
      this.cloneUrl = pulumi.output(`https://github.com/${source.repository}.git`);
      this.repositoryName = pulumi.output(source.repository);
      this.sourceAction = connection.arn.apply((connectionArn) =>
        gitHubSourceAction(connectionArn, source.repository, source.branch),
      );
    }

    this.registerOutputs({
      sourceArn: this.sourceArn,
      sourceType: this.sourceType,
      sourceAction: this.sourceAction,
      cloneUrl: this.cloneUrl,
      repositoryName: this.repositoryName,
    });
  }
}

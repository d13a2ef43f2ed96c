import { PR_RESULT_FOLDER } from "../naming";
import { arn, Partition } from "../partition";
import { secretResource } from "./policyDocuments";
import { allow, doc, PolicyDocument, Statement } from "./policyStatements";

/** The resolved values the poster's policy is built from. */
export interface CommenterPolicyInputs {
  readonly partition: Partition;
  readonly region: string;
  readonly accountId: string;
  readonly functionName: string;
  readonly resultBucketArn: string;
  readonly source:
    | { readonly type: "codecommit"; readonly repositoryArn: string }
    | { readonly type: "github"; readonly tokenSecret: string };
}

/**
 * The poster's permissions, nothing else: write its own log group, read the
 * result folder (decrypting through the artifact key's policy, which names
 * its role), and either read the GitHub token or comment on the one
 * CodeCommit repository. No ListBucket: a missing result is known from the
 * build's phases, not by asking S3.
 */
export function prCommenterPolicy(p: CommenterPolicyInputs): PolicyDocument {
  const logGroup = arn({
    partition: p.partition,
    service: "logs",
    region: p.region,
    account: p.accountId,
    resource: `log-group:/aws/lambda/${p.functionName}`,
  });
  const source: Statement =
    p.source.type === "github"
      ? allow(
          "ReadGitHubToken",
          ["secretsmanager:GetSecretValue"],
          [secretResource(p, p.source.tokenSecret)],
        )
      : allow(
          "CommentOnPullRequests",
          [
            "codecommit:GetCommentsForPullRequest",
            "codecommit:PostCommentForPullRequest",
            "codecommit:UpdateComment",
          ],
          [p.source.repositoryArn],
        );
  return doc([
    allow(
      "WriteOwnLogs",
      ["logs:CreateLogStream", "logs:PutLogEvents"],
      [logGroup, `${logGroup}:*`],
    ),
    allow("ReadResults", ["s3:GetObject"], [`${p.resultBucketArn}/${PR_RESULT_FOLDER}*`]),
    source,
  ]);
}

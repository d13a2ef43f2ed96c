import {
  iamPattern,
  ROLE_GRANTING_ACTIONS,
  unboundedRoleProblems,
  wildcardProblems,
} from "./audit";

/** One statement of an identity policy, as the pipeline's policies are written. */
export interface Statement {
  readonly Sid: string;
  readonly Effect: "Allow" | "Deny";
  readonly Action: string[];
  readonly Resource: string[];
  readonly Condition?: Record<string, Record<string, string | string[]>>;
}

export interface PolicyDocument {
  readonly Version: "2012-10-17";
  readonly Statement: Statement[];
}

// Every statement names its resources, but for RESOURCELESS_READ_ACTIONS.
export const allow = (Sid: string, Action: string[], Resource: readonly string[]): Statement => ({
  Sid,
  Effect: "Allow",
  Action,
  Resource: [...Resource],
});

/**
 * Read actions that have no resource-level permission (AWS's action list
 * names no resource type for them), so `*` is the only resource they take:
 * a statement of these alone may name `*`. ssm:DescribeParameters returns
 * parameter names and descriptions, never a value; the AWS provider reads
 * them after writing a parameter.
 */
export const RESOURCELESS_READ_ACTIONS: readonly string[] = ["ssm:DescribeParameters"];

/** An explicit Deny: it wins over any Allow, from this policy or one attached later. */
export const deny = (Sid: string, Action: string[], Resource: readonly string[]): Statement => ({
  ...allow(Sid, Action, Resource),
  Effect: "Deny",
});

/** Actions that give a role permissions: granted only under the app boundary. */
export const BOUNDED_ROLE_ACTIONS = [...ROLE_GRANTING_ACTIONS];

/** A document of the statements that reach something (undefined or empty ones are dropped). */
export const doc = (statements: (Statement | undefined)[]): PolicyDocument => ({
  Version: "2012-10-17",
  Statement: statements.filter((s): s is Statement => s !== undefined && s.Resource.length > 0),
});

/** The objects of each bucket (`<bucket ARN>/*`), or those under a key prefix. */
export const objects = (bucketArns: readonly string[], keyPrefix = "") =>
  bucketArns.map((b) => `${b}/${keyPrefix}*`);

function iamProblems(s: Statement, protectedRoleNames: readonly string[]) {
  const problems: string[] = [];
  for (const resource of s.Resource) {
    const role = /:role\/(.+)$/.exec(resource)?.[1];
    if (role === undefined || role.startsWith("*")) {
      problems.push(`${s.Sid}: IAM actions on ${resource}, not on the roles of a name prefix`);
      continue;
    }
    for (const name of protectedRoleNames.filter((n) => iamPattern(role).test(n))) {
      problems.push(
        `${s.Sid}: IAM actions on ${resource} reach the pipeline role ${name}, which could then grant itself anything`,
      );
    }
  }
  problems.push(...unboundedRoleProblems(s).map((p) => `${s.Sid}: ${p}`));
  const passRole = s.Action.includes("iam:PassRole");
  if (passRole && !s.Condition?.StringEquals?.["iam:PassedToService"]) {
    problems.push(`${s.Sid}: iam:PassRole without an iam:PassedToService condition`);
  }
  return problems;
}

/** IAM's limit on the inline policies of one role (whitespace not counted). */
export const MAX_INLINE_POLICY_CHARS = 10_240;
/** IAM's limit on one customer managed policy, white space not counted. */
export const MAX_MANAGED_POLICY_CHARS = 6_144;

/**
 * Problems in a document, empty when sound: wildcard actions, `*` resources,
 * and IAM actions anywhere but on roles of a name prefix (`role/<prefix>-*`)
 * that matches none of `protectedRoleNames` (the pipeline's own roles, so no
 * role can rewrite its own permissions or a sibling's), with iam:PassRole
 * only towards one service and role creation or policy changes only under a
 * permissions boundary; repeated statement ids; a document longer than IAM
 * accepts. Deny statements are only checked for repeated ids.
 */
export function auditPolicyDocument(
  document: PolicyDocument,
  protectedRoleNames: readonly string[] = [],
  maxChars = MAX_INLINE_POLICY_CHARS,
): string[] {
  const problems: string[] = [];
  const sids = new Set<string>();
  for (const s of document.Statement) {
    // IAM rejects a policy whose statement ids repeat.
    if (sids.has(s.Sid)) problems.push(`${s.Sid}: statement id used twice`);
    sids.add(s.Sid);
    // A Deny only takes permissions away: wildcards and any resource are fine there.
    if (s.Effect === "Deny") continue;
    problems.push(...wildcardProblems(s).map((p) => `${s.Sid}: ${p}`));
    if (s.Action.some((a) => a.startsWith("iam:"))) {
      problems.push(...iamProblems(s, protectedRoleNames));
    }
    const resourceless = s.Action.every((a) => RESOURCELESS_READ_ACTIONS.includes(a));
    for (const resource of s.Resource) {
      if (resource === "" || (resource === "*" && !resourceless)) {
        problems.push(`${s.Sid}: resource "${resource}"`);
      }
    }
  }
  const size = JSON.stringify(document).length;
  if (size > maxChars) {
    problems.push(
      `${size} characters, more than the ${maxChars} IAM allows in this policy: fewer Regions or environments per pipeline`,
    );
  }
  return problems;
}

/** One statement of a packed document: a statement, or a run of its actions under a Sid of its own. */
interface Piece {
  readonly sid: string;
  readonly from: number;
  readonly to: number;
  readonly as: string;
}

/** How statements are split into documents of at most `maxChars` (see packStatements). */
export type PolicyLayout = readonly (readonly Piece[])[];

const sizeOf = (statements: readonly Statement[]) => JSON.stringify(doc([...statements])).length;

/**
 * What a statement adds to a document's JSON (`,` and itself), none when doc() drops it: a
 * document's size is sizeOf([]) and its statements' shares, less the first one's comma, so
 * a layout measures each statement once (stringifying each growing document cost more).
 */
const shareOf = (s: Statement) =>
  doc([s]).Statement.length === 0 ? 0 : 1 + JSON.stringify(s).length;
const EMPTY_DOC = sizeOf([]);

/**
 * Splits statements into documents of at most `maxChars` each, in order: a
 * statement too long for a document of its own is split into runs of its
 * actions (Sids `<Sid>1`, `<Sid>2`, …). Decided on statements whose values
 * are at least as long as the real ones (placeholders for ARNs only known
 * after deployment), so the number of documents is known before them.
 */
export function layoutStatements(statements: readonly Statement[], maxChars: number): PolicyLayout {
  const pieces: { piece: Piece; statement: Statement }[] = [];
  for (const s of statements) {
    // The fewest runs of equal length that each fit.
    for (let runs = 1; ; runs++) {
      if (runs > s.Action.length) {
        throw new Error(`statement ${s.Sid} alone is longer than ${maxChars} characters`);
      }
      const length = Math.ceil(s.Action.length / runs);
      const parts = Array.from({ length: runs }, (_, i) => {
        const piece = {
          sid: s.Sid,
          from: i * length,
          to: Math.min((i + 1) * length, s.Action.length),
          as: runs === 1 ? s.Sid : `${s.Sid}${i + 1}`,
        };
        const statement = { ...s, Sid: piece.as, Action: s.Action.slice(piece.from, piece.to) };
        return { piece, statement };
      }).filter((p) => p.piece.from < p.piece.to);
      if (parts.every((p) => sizeOf([p.statement]) <= maxChars)) {
        pieces.push(...parts);
        break;
      }
    }
  }
  const layout: Piece[][] = [];
  let current: Piece[] = [];
  let shares = 0;
  const size = () => EMPTY_DOC + shares - (shares > 0 ? 1 : 0);
  for (const p of pieces) {
    const share = shareOf(p.statement);
    shares += share;
    if (current.length > 0 && size() > maxChars) {
      layout.push(current);
      current = [];
      shares = share;
    }
    current.push(p.piece);
  }
  if (current.length > 0) layout.push(current);
  return layout;
}

/** The documents of a layout, filled with the real statements (matched by Sid). */
export function packStatements(
  statements: readonly Statement[],
  layout: PolicyLayout,
): PolicyDocument[] {
  const bySid = new Map(statements.map((s) => [s.Sid, s]));
  if (
    bySid.size !==
    layout.flat().filter((p, i, all) => all.findIndex((q) => q.sid === p.sid) === i).length
  ) {
    throw new Error(
      `the statements (${[...bySid.keys()].join(", ")}) are not the ones laid out (${layout
        .flat()
        .map((p) => p.sid)
        .join(", ")})`,
    );
  }
  return layout.map((pieces) =>
    doc(
      pieces.map((p) => {
        const s = bySid.get(p.sid);
        if (s === undefined) throw new Error(`no statement ${p.sid} to pack`);
        return { ...s, Sid: p.as, Action: s.Action.slice(p.from, p.to) };
      }),
    ),
  );
}

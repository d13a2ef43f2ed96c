import {
  allow,
  auditPolicyDocument,
  deny,
  doc,
  layoutStatements,
  objects,
  packStatements,
  PolicyDocument,
  Statement,
} from "../../../components/iam/policyStatements";

const one = (...statements: Statement[]): PolicyDocument => ({
  Version: "2012-10-17",
  Statement: statements,
});
const ROLE = "arn:aws:iam::123456789012:role";

describe("policy statements", () => {
  it("drops statements that reach nothing", () => {
    expect(doc([allow("A", ["s3:GetObject"], []), undefined]).Statement).toEqual([]);
  });

  it("names the objects of each bucket, or those under a key prefix", () => {
    expect(objects(["arn:aws:s3:::a"])).toEqual(["arn:aws:s3:::a/*"]);
    expect(objects(["arn:aws:s3:::a"], "app/")).toEqual(["arn:aws:s3:::a/app/*"]);
  });
});

describe("auditPolicyDocument", () => {
  it("flags wildcard actions and * resources", () => {
    const bad = one({ Sid: "A", Effect: "Allow", Action: ["s3:*", "*"], Resource: ["*", ""] });
    expect(auditPolicyDocument(bad)).toEqual([
      "A: allows every action of a service (s3:*): list the actions needed",
      'A: allows every action ("*")',
      'A: resource "*"',
      'A: resource ""',
    ]);
  });

  it("flags a statement id used twice, which IAM rejects", () => {
    const twice = one(
      allow("A", ["s3:GetObject"], ["arn:aws:s3:::a/*"]),
      allow("A", ["s3:PutObject"], ["arn:aws:s3:::a/*"]),
    );
    expect(auditPolicyDocument(twice)).toEqual(["A: statement id used twice"]);
  });

  it("flags a document longer than IAM accepts for a role's inline policies", () => {
    const arns = Array.from({ length: 400 }, (_, i) => `arn:aws:s3:::bucket-${i}/*`);
    const [problem] = auditPolicyDocument(one(allow("A", ["s3:GetObject"], arns)));
    expect(problem).toMatch(/^\d+ characters, more than the 10240 IAM allows/);
  });

  it("flags iam:* as a wildcard action", () => {
    expect(auditPolicyDocument(one(allow("A", ["iam:*"], [`${ROLE}/app-*`])))).toContain(
      "A: allows iam:*",
    );
  });

  it.each([["*"], [`${ROLE}/*`], ["arn:aws:iam::123456789012:user/deployer"]])(
    "flags IAM actions on %s: only the roles of a name prefix",
    (resource) => {
      expect(auditPolicyDocument(one(allow("A", ["iam:GetRole"], [resource])))).toContain(
        `A: IAM actions on ${resource}, not on the roles of a name prefix`,
      );
    },
  );

  it("flags IAM actions whose role pattern matches a protected role", () => {
    const document = one(allow("A", ["iam:DeleteRole"], [`${ROLE}/silkroute-d?p*`]));
    expect(auditPolicyDocument(document, ["silkroute-deploy", "silkroute-events"])).toEqual([
      `A: IAM actions on ${ROLE}/silkroute-d?p* reach the pipeline role silkroute-deploy, which could then grant itself anything`,
    ]);
  });

  it("treats the dots of a role pattern literally", () => {
    const document = one(allow("A", ["iam:GetRole"], [`${ROLE}/a.b`]));
    expect(auditPolicyDocument(document, ["axb"])).toEqual([]);
  });

  it("flags iam:PassRole without an iam:PassedToService condition", () => {
    expect(auditPolicyDocument(one(allow("A", ["iam:PassRole"], [`${ROLE}/app-*`])))).toEqual([
      "A: iam:PassRole without an iam:PassedToService condition",
    ]);
  });

  it("accepts IAM actions on an app role prefix, and PassRole to one service", () => {
    const document = one(allow("A", ["iam:GetRole"], [`${ROLE}/app-dev-*`]), {
      ...allow("B", ["iam:PassRole"], [`${ROLE}/app-dev-*`]),
      Condition: { StringEquals: { "iam:PassedToService": "lambda.amazonaws.com" } },
    });
    expect(auditPolicyDocument(document, ["app-deploy"])).toEqual([]);
  });

  it.each([["iam:CreateRole"], ["iam:PutRolePolicy"], ["iam:AttachRolePolicy"]])(
    "flags %s without an iam:PermissionsBoundary condition: the role could get any permission",
    (action) => {
      expect(auditPolicyDocument(one(allow("A", [action], [`${ROLE}/app-dev-*`])))).toEqual([
        `A: allows ${action} without an iam:PermissionsBoundary condition that pins one boundary (StringEquals or ArnEquals, no wildcard): the roles it reaches could be given any permission, including its own`,
      ]);
    },
  );

  it("accepts role creation under a permissions boundary", () => {
    const document = one({
      ...allow("A", ["iam:CreateRole", "iam:PutRolePolicy"], [`${ROLE}/app-dev-*`]),
      Condition: { StringEquals: { "iam:PermissionsBoundary": `${ROLE}/../policy/b` } },
    });
    expect(auditPolicyDocument(document)).toEqual([]);
  });

  it("checks a Deny statement only for its id: it takes permissions away", () => {
    const document = one(
      deny("A", ["iam:*"], ["*"]),
      deny("A", ["iam:DeletePolicy"], ["arn:aws:iam::123456789012:policy/b"]),
    );
    expect(auditPolicyDocument(document)).toEqual(["A: statement id used twice"]);
    expect(document.Statement[0].Effect).toBe("Deny");
  });
});

describe("layoutStatements", () => {
  /** The layout as first written: each growing document stringified whole (the oracle). */
  function stringifiedLayout(statements: Statement[], maxChars: number): string[][] {
    const pieces = statements.map((s) => ({ sid: s.Sid, statement: s }));
    const layout: string[][] = [];
    let current: typeof pieces = [];
    for (const p of pieces) {
      const grown = JSON.stringify(doc([...current, p].map((c) => c.statement))).length;
      if (current.length > 0 && grown > maxChars) {
        layout.push(current.map((c) => c.sid));
        current = [];
      }
      current.push(p);
    }
    if (current.length > 0) layout.push(current.map((c) => c.sid));
    return layout;
  }

  /** A pseudo-random generator with a seed, so a failure can be replayed. */
  const random = (seed: number) => () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };

  it("packs statements exactly as stringifying each growing document would, dropped (resourceless) statements included", () => {
    for (let seed = 1; seed <= 200; seed++) {
      // given statements of random lengths, some with no resource (doc() drops those)
      const next = random(seed);
      const statements: Statement[] = Array.from(
        { length: 1 + Math.floor(next() * 12) },
        (_, i) => ({
          Sid: `S${i}`,
          Effect: "Allow",
          Action: [`s3:${"Get".repeat(1 + Math.floor(next() * 20))}`],
          Resource: next() < 0.2 ? [] : [`arn:aws:s3:::${"b".repeat(Math.floor(next() * 250))}`],
        }),
      );
      const maxChars = 500 + Math.floor(next() * 1200);
      // when laid out (each statement fits a document of its own at these sizes)
      const layout = layoutStatements(statements, maxChars);
      // then the documents are the oracle's, and none is longer than allowed
      expect([seed, layout.map((d) => d.map((p) => p.as))]).toEqual([
        seed,
        stringifiedLayout(statements, maxChars),
      ]);
      for (const packed of packStatements(statements, layout)) {
        expect(JSON.stringify(packed).length).toBeLessThanOrEqual(maxChars);
      }
    }
  });
});

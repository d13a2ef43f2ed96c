import { iamPattern } from "../../components/iam/audit";

/*
 * Which statements of a policy document can take part in one request, asked
 * of documents compiled once: the plan's rules put thousands of questions to
 * the same few dozen documents (simulate.ts).
 *
 * A statement is left out only when the engine would find it does not match
 * the request, so leaving it out changes no answer and spares the engine its
 * work: its Action or NotAction excludes the action (matched as the engine
 * matches it), its Resource cannot match the resource, or a condition needs a
 * context key the request does not carry. Anything unusual is kept.
 */

/** Whether a statement's actions take in the request's (service lowercased, action part). */
type ActionTest = (service: string, action: string) => boolean;

interface CompiledStatement {
  readonly statement: unknown;
  /** Undefined when the engine's matching is not certain to be this one's: kept for any action. */
  readonly actions?: ActionTest;
  /** Undefined for every resource (no Resource element, or one with policy variables). */
  readonly resources?: readonly RegExp[];
  /** Context keys (lowercased) a condition needs present, or the statement cannot match. */
  readonly needs: readonly string[];
}

/** A parsed document and its statements, compiled once; `id` tells documents apart in keys. */
export interface CompiledDocument {
  readonly id: number;
  readonly document: unknown;
  /** Undefined when the document is not an object: handed to the engine as it is. */
  readonly statements?: readonly CompiledStatement[];
  /** The document cut to each set of kept statements (by the set's key), made once. */
  readonly cuts: Map<string, { readonly document: unknown; validated?: unknown }>;
}

/** The statements of one document that can decide a request. */
export interface Relevant {
  readonly compiled: CompiledDocument;
  /** The kept statements' indexes. */
  readonly kept: readonly number[];
  /** The same as text, e.g. `0,3`: which document the engine is handed. */
  readonly key: string;
  /** Whether every statement's action was matched as the engine matches it. */
  readonly exact: boolean;
}

const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : [value]);

/**
 * An action pattern as the engine (@cloud-copilot/iam-simulate) matches it:
 * all `*` matches any action; otherwise the service must be the request's,
 * and the part after it matches with `*` for any run and `?` for one
 * character, in any case. Patterns of other characters are left undecided.
 */
function actionPattern(pattern: unknown): ActionTest | undefined {
  if (typeof pattern !== "string") return undefined;
  if (/^\*+$/.test(pattern)) return () => true;
  const [service, part, ...rest] = pattern.split(":");
  if (service === undefined || part === undefined || rest.length > 0) return undefined;
  if (!/^[A-Za-z0-9*?]+$/.test(part)) return undefined;
  const lower = service.toLowerCase();
  const re = iamPattern(part, "i");
  return (s, a) => s === lower && re.test(a);
}

function actionTest(statement: { Action?: unknown; NotAction?: unknown }): ActionTest | undefined {
  const negated = statement.Action === undefined;
  const patterns = list(negated ? statement.NotAction : statement.Action);
  const tests = patterns.map(actionPattern);
  if (patterns.length === 0 || tests.some((t) => t === undefined)) return undefined;
  const known = tests as ActionTest[];
  return negated ? (s, a) => !known.some((t) => t(s, a)) : (s, a) => known.some((t) => t(s, a));
}

/** A pattern with a policy variable, or not a string, may match anything. */
function resourcePatterns(patterns: unknown): RegExp[] | undefined {
  const all = list(patterns);
  if (all.some((p) => typeof p !== "string" || p.includes("${"))) return undefined;
  return (all as string[]).map((p) => iamPattern(p, "is"));
}

/**
 * The context keys a statement's conditions need present. A condition on a
 * key the request lacks does not match (IAM: "If the key … is not present in
 * the request context, the values do not match"), and so neither does the
 * statement. The exceptions match on a missing key or test its presence:
 * Null, …IfExists, negated operators and ForAllValues; with them, and with
 * any operator the engine may read otherwise (another set operator), a
 * condition needs nothing.
 */
function neededKeys(condition: unknown): string[] {
  if (typeof condition !== "object" || condition === null) return [];
  return Object.entries(condition).flatMap(([operator, keys]) => {
    const op = operator.toLowerCase();
    const strict = /^(foranyvalue:)?[a-z]+$/.test(op) && !/null|not|ifexists/.test(op);
    if (!strict || typeof keys !== "object" || keys === null) return [];
    return Object.keys(keys).map((k) => k.toLowerCase());
  });
}

function compileStatement(statement: unknown): CompiledStatement {
  if (typeof statement !== "object" || statement === null) return { statement, needs: [] };
  const s = statement as Record<string, unknown>;
  return {
    statement,
    actions: s.Action === undefined && s.NotAction === undefined ? undefined : actionTest(s),
    resources: s.Resource === undefined ? undefined : resourcePatterns(s.Resource),
    needs: neededKeys(s.Condition),
  };
}

const byObject = new WeakMap<object, CompiledDocument>();
const byText = new Map<string, CompiledDocument>();
let nextId = 0;

function compile(document: unknown): CompiledDocument {
  const doc = document as { Statement?: unknown } | null;
  const statements =
    typeof doc === "object" && doc !== null ? list(doc.Statement).map(compileStatement) : undefined;
  return { id: nextId++, document, statements, cuts: new Map() };
}

/** A document (object, or JSON text parsed once) compiled once. */
export function compiled(document: unknown): CompiledDocument {
  if (typeof document === "string") {
    let c = byText.get(document);
    if (c === undefined) byText.set(document, (c = compile(JSON.parse(document))));
    return c;
  }
  if (typeof document !== "object" || document === null) return compile(document);
  let c = byObject.get(document);
  if (c === undefined) byObject.set(document, (c = compile(document)));
  return c;
}

/** What of a request the filter reads. */
export interface FilterRequest {
  readonly service: string;
  /** The part after the service, or undefined when the action is not `service:Action`. */
  readonly action?: string;
  readonly resource: string;
  /** The request's context keys, lowercased. */
  readonly keys: ReadonlySet<string>;
}

/** The statements of `c` that can decide the request. */
export function relevantTo(c: CompiledDocument, request: FilterRequest): Relevant {
  if (c.statements === undefined) return { compiled: c, kept: [], key: "*", exact: false };
  const kept: number[] = [];
  let exact = request.action !== undefined;
  c.statements.forEach((s, i) => {
    const action =
      s.actions === undefined || request.action === undefined
        ? undefined
        : s.actions(request.service, request.action);
    if (action === false) return;
    if (s.resources !== undefined && !s.resources.some((re) => re.test(request.resource))) return;
    if (!s.needs.every((k) => request.keys.has(k))) return;
    if (action === undefined) exact = false;
    kept.push(i);
  });
  return { compiled: c, kept, key: kept.join(","), exact };
}

/** The document the engine is handed for a request: `c`'s kept statements only. */
export function cut(r: Relevant): { readonly document: unknown; validated?: unknown } {
  const { compiled: c, key } = r;
  let found = c.cuts.get(key);
  if (found === undefined) {
    const statements = c.statements;
    const document =
      statements === undefined
        ? c.document
        : {
            ...(c.document as object),
            Statement: r.kept.map((i) => statements[i]?.statement),
          };
    c.cuts.set(key, (found = { document }));
  }
  return found;
}

import { type Context, list, valueKey } from "./conditions";
import { type CompiledStatement, compileStatement, testedResource } from "./statements";

export type { Context } from "./conditions";

/*
 * Which statements of a policy document can take part in one request, asked
 * of documents compiled once: the plan's rules put thousands of questions to
 * the same few dozen documents (simulate.ts).
 *
 * A statement is left out only when the engine would find it does not match
 * the request, so leaving it out changes no answer and spares the engine its
 * work: its Action or NotAction excludes the action (matched as the engine
 * matches it), its Resource cannot match the resource, or a condition cannot
 * hold (conditions.ts: a key the request lacks, a StringEquals or ArnLike the
 * key's value misses). Anything unusual is kept.
 */

/** A parsed document and its statements, compiled once; `id` tells documents apart in keys. */
export interface CompiledDocument {
  readonly id: number;
  readonly document: unknown;
  /** Undefined when the document is not an object: handed to the engine as it is. */
  readonly statements?: readonly CompiledStatement[];
  /** The statements each action (`service:Action`) may match, found once. */
  readonly byAction: Map<string, Candidates>;
  /** Each set of candidates once (by indexes and exactness): actions that match alike share it. */
  readonly candidateSets: Map<string, Candidates>;
  /** The document cut for each set of kept statements and patterns (handed.ts), made once. */
  readonly cuts: Map<string, { readonly document: unknown; validated?: unknown }>;
}

/** The statements of a document whose Action or NotAction may take in an action. */
interface Candidates {
  readonly indexes: readonly number[];
  /** As in Relevant. */
  readonly exact: boolean;
  /** The context keys these statements' conditions read (ConditionTest.keys), each once. */
  readonly keys: readonly string[];
  /**
   * What relevantTo found of these statements, by the request's resource and then the values of
   * `keys` in its context (contextKey): all it reads of a request besides the action.
   */
  readonly relevant: Map<string, Map<string, Relevant>>;
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
  /** The context keys the kept statements read; undefined when they may read any. */
  readonly reads?: ReadonlySet<string>;
  /** Whether every kept statement matches every resource alike. */
  readonly anyResource: boolean;
}

const byObject = new WeakMap<object, CompiledDocument>();
const byText = new Map<string, CompiledDocument>();
let nextId = 0;

function compile(document: unknown): CompiledDocument {
  const doc = document as { Statement?: unknown } | null;
  const statements =
    typeof doc === "object" && doc !== null ? list(doc.Statement).map(compileStatement) : undefined;
  return {
    id: nextId++,
    document,
    statements,
    byAction: new Map(),
    candidateSets: new Map(),
    cuts: new Map(),
  };
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

/** A request's action as the filter reads it (actionOf). */
export interface ActionName {
  /** The part before the first `:`, lowercased. */
  readonly service: string;
  /** The part after the service, or undefined when the action is not `service:Action`. */
  readonly action?: string;
  /** `service:action` when `action` is defined: what a document's candidates are found by. */
  readonly name?: string;
}

/** What of a request the filter reads. */
export interface FilterRequest extends ActionName {
  readonly resource: string;
  readonly context: Context;
}

const actionNames = new Map<string, ActionName>();

/**
 * A request's action as the filter reads it, worked out once per action:
 * the plan asks thousands of questions of a few dozen actions, and finding
 * a document's candidates by the same `name` text each time spares hashing
 * a new one. What it returns depends on the action's text alone.
 */
export function actionOf(requestAction: string): ActionName {
  let found = actionNames.get(requestAction);
  if (found === undefined) {
    const [part = "", action, ...more] = requestAction.split(":");
    const service = part.toLowerCase();
    found =
      more.length === 0 && action !== undefined && /^[A-Za-z0-9]+$/.test(action)
        ? { service, action, name: `${service}:${action}` }
        : { service };
    actionNames.set(requestAction, found);
  }
  return found;
}

/** The statements of `c` whose Action or NotAction may take in the request's action. */
function candidates(
  c: CompiledDocument,
  statements: readonly CompiledStatement[],
  request: FilterRequest,
): Candidates {
  const name = request.name;
  const found = name === undefined ? undefined : c.byAction.get(name);
  if (found !== undefined) return found;
  const indexes: number[] = [];
  let exact = request.action !== undefined;
  statements.forEach((s, i) => {
    const action =
      s.actions === undefined || request.action === undefined
        ? undefined
        : s.actions(request.service, request.action);
    if (action === false) return;
    if (action === undefined) exact = false;
    indexes.push(i);
  });
  const set = `${exact}:${indexes.join(",")}`;
  let result = c.candidateSets.get(set);
  if (result === undefined) {
    const keys = new Set(indexes.flatMap((i) => statements[i]!.conditions.keys));
    result = { indexes, exact, keys: [...keys], relevant: new Map() };
    c.candidateSets.set(set, result);
  }
  if (name !== undefined) c.byAction.set(name, result);
  return result;
}

/** The values of `keys` in a context, as text that tells apart any two that differ. */
function contextKey(keys: readonly string[], context: Context): string {
  let key = "";
  for (const k of keys) key += valueKey(context.get(k));
  return key;
}

/**
 * The statements of `c` that can decide the request. Found once per set of
 * candidates, resource and values of the candidates' condition keys: which
 * candidates are kept depends on nothing else (each one's Resource test reads
 * the resource alone, its `excluded` the values of its ConditionTest.keys
 * alone), so a request that agrees with an earlier one on these is given
 * what was found for it. The plan asks each role about every S3 object
 * action on one object: a few candidate sets, each filtered once.
 */
export function relevantTo(c: CompiledDocument, request: FilterRequest): Relevant {
  const statements = c.statements;
  if (statements === undefined) {
    return { compiled: c, kept: [], key: "*", exact: false, anyResource: false };
  }
  const found = candidates(c, statements, request);
  let byResource = found.relevant.get(request.resource);
  if (byResource === undefined) found.relevant.set(request.resource, (byResource = new Map()));
  const key = contextKey(found.keys, request.context);
  let relevant = byResource.get(key);
  if (relevant === undefined) byResource.set(key, (relevant = keep(c, statements, found, request)));
  return relevant;
}

/** The candidates the request's resource and context leave in: what relevantTo remembers. */
function keep(
  c: CompiledDocument,
  statements: readonly CompiledStatement[],
  { indexes, exact }: Candidates,
  request: FilterRequest,
): Relevant {
  const kept: number[] = [];
  let reads: Set<string> | undefined = new Set();
  let anyResource = true;
  const resource = testedResource(request.resource);
  for (const i of indexes) {
    const s = statements[i]!;
    const tests = s.resourceTests;
    if (tests !== undefined && resource !== undefined && !tests.some((m) => m(resource))) continue;
    if (s.conditions.excluded(request.context)) continue;
    kept.push(i);
    anyResource &&= s.anyResource;
    if (s.reads === undefined) reads = undefined;
    else for (const k of s.reads) reads?.add(k);
  }
  return { compiled: c, kept, key: kept.join(","), exact, reads, anyResource };
}

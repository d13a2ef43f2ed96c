import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";

/**
 * The AWS side of the provider double, kept in files so that every plugin
 * process (the engine starts one per provider), the local SSM/STS fakes and
 * the tests share it: SSM parameters, IAM access keys and the call log. The
 * folder is named by SILKROUTE_AWS_DOUBLE_DIR. It plays AWS's own storage, so
 * it holds parameter values; the call log never holds a secret.
 */
export const DOUBLE_DIR_VARIABLE = "SILKROUTE_AWS_DOUBLE_DIR";
/** A label the tests set per `pulumi` run; every logged call carries it. */
export const RUN_LABEL_VARIABLE = "SILKROUTE_AWS_DOUBLE_RUN";

export interface Parameter {
  readonly name: string;
  readonly type: string;
  readonly value: string;
  readonly version: number;
  readonly keyId?: string;
  readonly arn: string;
}

export interface AccessKeyRecord {
  readonly accessKeyId: string;
  /** SHA-256 of the secret access key: enough to verify one, useless to sign with. */
  readonly secretSha256: string;
  readonly account: string;
  readonly partition: string;
  /** The IAM user (or role) ARN the key signs in as. */
  readonly arn: string;
  readonly status: string;
}

export interface S3Object {
  readonly key: string;
  /** ISO 8601. */
  readonly lastModified: string;
}

export interface UserRecord {
  readonly name: string;
  readonly arn: string;
}

/** One call the engine (or a fake endpoint) made, as the tests read it. */
export interface CallRecord {
  readonly time: string;
  readonly pid: number;
  readonly run?: string;
  readonly call: string;
  readonly type?: string;
  readonly name?: string;
  readonly urn?: string;
  readonly id?: string;
  readonly token?: string;
  readonly provider?: { region?: string; account?: string; partition?: string };
  readonly inputs?: unknown;
  readonly replaces?: readonly string[];
  readonly failures?: readonly { property: string; reason: string }[];
  readonly error?: string;
  readonly [extra: string]: unknown;
}

export function sha256(text: string): string {
  return crypto.createHash("sha256").update(text).digest("hex");
}

function writeAtomically(file: string, data: unknown): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${crypto.randomBytes(4).toString("hex")}`;
  fs.writeFileSync(tmp, JSON.stringify(data, null, 2));
  fs.renameSync(tmp, file);
}

function readJson<T>(file: string): T | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8")) as T;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

export class DoubleStore {
  constructor(readonly dir: string) {
    fs.mkdirSync(dir, { recursive: true });
  }

  /** The store named by the environment (the plugin's and the fakes' view). */
  static fromEnv(env: NodeJS.ProcessEnv = process.env): DoubleStore {
    const dir = env[DOUBLE_DIR_VARIABLE];
    if (!dir) throw new Error(`${DOUBLE_DIR_VARIABLE} is not set: the AWS double needs its folder`);
    return new DoubleStore(dir);
  }

  get logFile(): string {
    return path.join(this.dir, "calls.jsonl");
  }

  /** Appends one record; single appends of one line keep their order across processes. */
  log(record: Omit<CallRecord, "time" | "pid">): void {
    const line = { time: new Date().toISOString(), pid: process.pid, ...record };
    fs.appendFileSync(this.logFile, `${JSON.stringify(line)}\n`);
  }

  calls(): CallRecord[] {
    if (!fs.existsSync(this.logFile)) return [];
    return fs
      .readFileSync(this.logFile, "utf8")
      .split("\n")
      .filter((l) => l !== "")
      .map((l) => JSON.parse(l) as CallRecord);
  }

  private parameterFile(account: string, region: string, name: string): string {
    return path.join(this.dir, "ssm", account, region, `${encodeURIComponent(name)}.json`);
  }

  getParameter(account: string, region: string, name: string): Parameter | undefined {
    return readJson<Parameter>(this.parameterFile(account, region, name));
  }

  putParameter(account: string, region: string, parameter: Parameter): void {
    writeAtomically(this.parameterFile(account, region, parameter.name), parameter);
  }

  deleteParameter(account: string, region: string, name: string): void {
    fs.rmSync(this.parameterFile(account, region, name), { force: true });
  }

  private keyFile(accessKeyId: string): string {
    return path.join(this.dir, "iam", "access-keys", `${accessKeyId}.json`);
  }

  getAccessKey(accessKeyId: string): AccessKeyRecord | undefined {
    return readJson<AccessKeyRecord>(this.keyFile(accessKeyId));
  }

  putAccessKey(key: AccessKeyRecord): void {
    writeAtomically(this.keyFile(key.accessKeyId), key);
  }

  deleteAccessKey(accessKeyId: string): void {
    fs.rmSync(this.keyFile(accessKeyId), { force: true });
  }

  /** The account a key signs in as, when its secret matches. */
  identify(accessKeyId: string, secretAccessKey: string): AccessKeyRecord | undefined {
    const key = this.getAccessKey(accessKeyId);
    if (!key || key.status !== "Active" || key.secretSha256 !== sha256(secretAccessKey)) {
      return undefined;
    }
    return key;
  }

  private userFile(account: string, name: string): string {
    return path.join(this.dir, "iam", "users", account, `${name}.json`);
  }

  getUser(account: string, name: string): UserRecord | undefined {
    return readJson<UserRecord>(this.userFile(account, name));
  }

  putUser(account: string, user: UserRecord): void {
    writeAtomically(this.userFile(account, user.name), user);
  }

  deleteUser(account: string, name: string): void {
    fs.rmSync(this.userFile(account, name), { force: true });
  }

  private nameFile(key: string): string {
    return path.join(this.dir, "names", `${encodeURIComponent(key)}.json`);
  }

  /** Takes a name AWS keeps unique for `urn`; false when something already holds it. */
  claimName(key: string, urn: string): boolean {
    fs.mkdirSync(path.join(this.dir, "names"), { recursive: true });
    try {
      fs.writeFileSync(this.nameFile(key), JSON.stringify({ urn }), { flag: "wx" });
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
      throw error;
    }
  }

  releaseName(key: string): void {
    fs.rmSync(this.nameFile(key), { force: true });
  }

  private objectsFile(partition: string, bucket: string): string {
    return path.join(this.dir, "s3", partition, `${bucket}.json`);
  }

  /** Records an object put into a bucket (buckets are unique per partition). */
  putObject(partition: string, bucket: string, key: string): void {
    const file = this.objectsFile(partition, bucket);
    const objects = readJson<S3Object[]>(file) ?? [];
    const entry = { key, lastModified: new Date().toISOString() };
    writeAtomically(file, [...objects.filter((o) => o.key !== key), entry]);
  }

  /** The bucket's objects under `prefix`, in key order as S3 lists them. */
  listObjects(partition: string, bucket: string, prefix = ""): S3Object[] {
    return (readJson<S3Object[]>(this.objectsFile(partition, bucket)) ?? [])
      .filter((o) => o.key.startsWith(prefix))
      .sort((a, b) => a.key.localeCompare(b.key));
  }

  private outOfBandFile(urn: string): string {
    return path.join(this.dir, "out-of-band", `${sha256(urn)}.json`);
  }

  /**
   * Changes a resource the way someone would by hand, outside Pulumi: the
   * next read of `urn` returns its state with `patch` applied, or finds it
   * gone (`"deleted"`).
   */
  changeOutOfBand(urn: string, change: Record<string, unknown> | "deleted"): void {
    writeAtomically(this.outOfBandFile(urn), { change });
  }

  /** The change made to `urn` outside Pulumi, if any. */
  outOfBand(urn: string): Record<string, unknown> | "deleted" | undefined {
    return readJson<{ change: Record<string, unknown> | "deleted" }>(this.outOfBandFile(urn))
      ?.change;
  }

  /** An update that sets the resource again makes it what the program says. */
  clearOutOfBand(urn: string): void {
    fs.rmSync(this.outOfBandFile(urn), { force: true });
  }

  private gateFile(type: string): string {
    return path.join(this.dir, "gates", encodeURIComponent(type));
  }

  /** Makes creates of `type` wait until the gate is opened (lock tests hold an update open). */
  closeGate(type: string): void {
    fs.mkdirSync(path.dirname(this.gateFile(type)), { recursive: true });
    fs.writeFileSync(this.gateFile(type), "closed");
  }

  openGate(type: string): void {
    fs.rmSync(this.gateFile(type), { force: true });
  }

  isGateClosed(type: string): boolean {
    return fs.existsSync(this.gateFile(type));
  }
}

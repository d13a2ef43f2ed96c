import { EventEmitter } from "events";
import { ExitCode } from "../../automation/exitCodes";
import { exitWith, type ExitingProcess } from "../../automation/exitStatus";

/** A process double: its exit event is emitted by the test, what it writes is kept. */
function processDouble() {
  const events = new EventEmitter();
  const written: string[] = [];
  const proc: ExitingProcess & { written: string[]; exit(): void } = {
    exitCode: undefined,
    on: (event, listener) => events.on(event, listener),
    stderr: { write: (text: string) => written.push(text) },
    written,
    exit: () => events.emit("exit"),
  };
  return proc;
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe("the exit status of a command", () => {
  it("is main's exit code, and nothing is said", async () => {
    const proc = processDouble();
    exitWith(Promise.resolve(ExitCode.Policy), proc);
    await turn();
    proc.exit();
    expect({ code: proc.exitCode, said: proc.written }).toEqual({ code: 4, said: [] });
  });

  it("is 1 when main rejects, with one line that names nothing of the error", async () => {
    const proc = processDouble();
    exitWith(Promise.reject(new Error("token ghp_secret in a message")), proc);
    await turn();
    proc.exit();
    expect({ code: proc.exitCode, said: proc.written }).toEqual({
      code: ExitCode.Failed,
      said: ["silkroute: internal error\n"],
    });
  });

  it("is 1 when main never settles (something it waits for never comes), and says so, instead of 0 and silence", async () => {
    const proc = processDouble();
    exitWith(new Promise<number>(() => undefined), proc);
    await turn();
    proc.exit();
    expect(proc.exitCode).toBe(ExitCode.Failed);
    expect(proc.written).toEqual([
      expect.stringMatching(/^silkroute: internal error: the command stopped before it finished/),
    ]);
  });
});

import { rotationTrigger, rotationWindow, validateRotationDays } from "../../components/rotation";

const DAY = 24 * 60 * 60 * 1000;

describe("rotationWindow", () => {
  it("cuts time since the epoch into windows of the given days", () => {
    // given a moment 100.5 days after the epoch
    const now = new Date(100.5 * DAY);
    // when
    const window = rotationWindow(now, 30);
    // then it is the fourth 30-day window: days 90 to 120
    expect(window).toEqual({
      id: "30d-3",
      startedAt: new Date(90 * DAY).toISOString(),
      nextRotation: new Date(120 * DAY).toISOString(),
    });
  });

  it("gives the same window to every moment inside it", () => {
    // given the first and the last millisecond of a window
    const first = rotationWindow(new Date(90 * DAY), 30);
    const last = rotationWindow(new Date(120 * DAY - 1), 30);
    // then
    expect(last).toEqual(first);
  });

  it("gives a new window id once the window has passed", () => {
    // given a moment and the end of its window
    const before = rotationWindow(new Date("2026-11-26T12:00:00Z"), 30);
    // when
    const after = rotationWindow(new Date(before.nextRotation), 30);
    // then
    expect(after.id).not.toBe(before.id);
    expect(after.startedAt).toBe(before.nextRotation);
  });

  it("never lets a window last longer than the rotation days", () => {
    // given
    const window = rotationWindow(new Date("2026-11-26T12:00:00Z"), 7);
    // then
    expect(Date.parse(window.nextRotation) - Date.parse(window.startedAt)).toBe(7 * DAY);
  });

  it("refuses rotation days outside 1 to 30", () => {
    expect(() => rotationWindow(new Date(0), 0)).toThrow(/from 1 to 30, got 0/);
    expect(() => rotationWindow(new Date(0), 45)).toThrow(/from 1 to 30, got 45/);
    expect(() => rotationWindow(new Date(0), 1.5)).toThrow(/whole number/);
  });

  it("refuses an invalid date", () => {
    expect(() => rotationWindow(new Date("not a date"), 30)).toThrow(/not a valid date/);
  });
});

describe("validateRotationDays", () => {
  it("accepts 1 and 30 and nothing outside", () => {
    expect(validateRotationDays(1)).toBeUndefined();
    expect(validateRotationDays(30)).toBeUndefined();
    expect(validateRotationDays(31)).toMatch(/keyRotationDays/);
  });
});

describe("rotationTrigger", () => {
  const window = rotationWindow(new Date(100 * DAY), 30);

  it("is the window id when no nonce is set", () => {
    expect(rotationTrigger(window)).toBe("30d-3");
    expect(rotationTrigger(window, "")).toBe("30d-3");
  });

  it("changes with the nonce, to force a rotation inside a window", () => {
    expect(rotationTrigger(window, "a")).toBe("30d-3/a");
    expect(rotationTrigger(window, "b")).not.toBe(rotationTrigger(window, "a"));
  });
});

/* eslint-disable @typescript-eslint/no-require-imports -- the module object itself, not a copy
   of its exports made at import (the scopes replace its AsyncLocalStorage), and the test
   environment's CommonJS helper */
const asyncHooks = require("async_hooks") as typeof import("async_hooks");
const { storageScopes, REGISTRY } = require("./helpers/storages") as {
  storageScopes(): { open(): () => void };
  REGISTRY: symbol;
};
/* eslint-enable @typescript-eslint/no-require-imports */

/** A store of async_hooks' AsyncLocalStorage as the module exports it now. */
const storage = () => new asyncHooks.AsyncLocalStorage<string>();

describe("the test environment's AsyncLocalStorage scopes", () => {
  it("is the environment this file runs in", () => {
    expect((asyncHooks.AsyncLocalStorage as unknown as Record<symbol, unknown>)[REGISTRY]).toBe(
      storageScopes(),
    );
  });

  it("disables the stores made in a scope when it closes, and no other", () => {
    // given a store from before the scope, and one made in it, both entered
    const before = storage();
    before.enterWith("before");
    const close = storageScopes().open();
    const inside = storage();
    inside.enterWith("inside");
    expect(inside).toBeInstanceOf(asyncHooks.AsyncLocalStorage);
    // when
    close();
    // then
    expect(inside.getStore()).toBeUndefined();
    expect(before.getStore()).toBe("before");
    before.disable();
  });

  it("leaves stores made after a scope closed to the scope around it", () => {
    // given
    const outer = storageScopes().open();
    storageScopes().open()();
    // when
    const later = storage();
    later.enterWith("later");
    outer();
    // then
    expect(later.getStore()).toBeUndefined();
  });
});

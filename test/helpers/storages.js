"use strict";
// jest-circus makes an AsyncLocalStorage for every test file it runs and never disables it, so a
// jest worker ends up with one enabled store per file it has run. Under Node 20 every enabled
// store is copied onto every promise the worker creates afterwards (async_hooks), and the Pulumi
// runtime creates several per resource property: by the last files of `npm test` each promise
// cost dozens of copies, and the suite spent a quarter of its CPU on them and their garbage.
// The test environment (./environment.js) opens a scope per file and disables, when the file
// ends, the stores made in it.
const asyncHooks = require("async_hooks");

// One registry per process: the environment loads this file outside the test files' module
// registries, a test file may load its own copy inside one.
const REGISTRY = Symbol.for("silkroute.test.storages");

/**
 * Makes async_hooks' AsyncLocalStorage record each store in the innermost open scope, once per
 * process, and returns `open()`: it opens a scope and returns the function that closes it,
 * disabling the stores made while it was innermost.
 */
function storageScopes() {
  const current = asyncHooks.AsyncLocalStorage;
  if (current[REGISTRY] !== undefined) return current[REGISTRY];
  const scopes = [];
  class ScopedStorage extends current {
    constructor(...args) {
      super(...args);
      scopes.at(-1)?.add(this);
    }
  }
  const registry = {
    open() {
      const made = new Set();
      scopes.push(made);
      return () => {
        scopes.splice(scopes.indexOf(made), 1);
        for (const storage of made) storage.disable();
      };
    },
  };
  ScopedStorage[REGISTRY] = registry;
  // Read at `new` time: jest-circus does `new async_hooks.AsyncLocalStorage()` as each file starts.
  asyncHooks.AsyncLocalStorage = ScopedStorage;
  return registry;
}

module.exports = { storageScopes, REGISTRY };

"use strict";
// jest's node environment, with the AsyncLocalStorage instances a test file made disabled when
// it ends (./storages.js says why).
const { TestEnvironment } = require("jest-environment-node");
const { storageScopes } = require("./storages");

class Environment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    this.closeStorages = storageScopes().open();
  }

  async teardown() {
    this.closeStorages();
    await super.teardown();
  }
}

module.exports = Environment;

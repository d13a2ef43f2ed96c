"use strict";
module.exports = require("./tmpRoot").teardown;

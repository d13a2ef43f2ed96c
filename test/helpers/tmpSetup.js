"use strict";
module.exports = require("./tmpRoot").setup;

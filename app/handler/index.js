"use strict";

// The sample application silkroute deploys: it answers with the version the
// pipeline deployed, so `silkroute status` (and a person with curl) can tell
// whether every target of an environment runs the same build. Plain
// JavaScript, no dependencies: the zip is this folder as it is.
exports.handler = async () => ({
  statusCode: 200,
  headers: { "content-type": "application/json" },
  body: JSON.stringify({
    app: "silkroute-sample",
    version: process.env.APP_VERSION ?? "unknown",
    region: process.env.AWS_REGION ?? "unknown",
  }),
});

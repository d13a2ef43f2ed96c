#!/usr/bin/env node
/*
 * Writes components/regions.json: the Regions of the `aws` and `aws-cn`
 * partitions, from the partition data the AWS SDK for JavaScript v3 resolves
 * endpoints with (@aws-sdk/core, client submodule, partitions.js). The config
 * schemas check Regions against it; the plan reads this JSON instead of
 * loading the SDK. Run `npm run sdk-regions` after upgrading the SDK;
 * test/components/regions.test.ts regenerates the file and fails when it differs.
 *
 *   node scripts/sdk-regions.js           write the file
 *   node scripts/sdk-regions.js --print   print it instead
 */
"use strict";
const fs = require("fs");
const path = require("path");
const { pathToFileURL } = require("url");

/** The partitions silkroute deploys into. */
const PARTITIONS = ["aws", "aws-cn"];

const OUT = path.join(__dirname, "..", "components", "regions.json");

/** The SDK's partitions.js: @aws-sdk/core exports the matcher built on it, not the data. */
function partitionsFile() {
  const core = path.dirname(require.resolve("@aws-sdk/core/package.json"));
  return path.join(
    core,
    "dist-es",
    "submodules",
    "client",
    "util-endpoints",
    "lib",
    "aws",
    "partitions.js",
  );
}

/**
 * The JSON text: partition → its Regions, sorted. A partition's `regions` also
 * holds pseudo Regions such as `aws-global`; only names its `regionRegex`
 * matches are Regions.
 */
async function generate() {
  const { partitionsInfo } = await import(pathToFileURL(partitionsFile()).href);
  const data = {};
  for (const id of PARTITIONS) {
    const partition = partitionsInfo.partitions.find((p) => p.id === id);
    if (partition === undefined) throw new Error(`the SDK's partition data has no partition ${id}`);
    const regex = new RegExp(partition.regionRegex);
    data[id] = Object.keys(partition.regions)
      .filter((r) => regex.test(r))
      .sort();
  }
  return `${JSON.stringify(data, null, 2)}\n`;
}

if (require.main === module) {
  generate().then(
    (text) => {
      if (process.argv.includes("--print")) {
        process.stdout.write(text);
      } else {
        fs.writeFileSync(OUT, text);
        process.stderr.write(`wrote ${path.relative(process.cwd(), OUT)}\n`);
      }
    },
    (error) => {
      process.stderr.write(`sdk-regions: ${error.message}\n`);
      process.exitCode = 1;
    },
  );
}

import SDK_ENUMS from "./sdkEnums.json";

/*
 * CloudFormation enum values from the generated sdkEnums.json, for the app
 * config. A module of its own, importing nothing but the data, and not named
 * sdkEnums: the real engine runs the stacks from source, where Node would
 * resolve `./sdkEnums` to sdkEnums.json before ts-node's sdkEnums.ts.
 */

/** The values CloudFormation takes as a stack's capabilities (the SDK's enum). */
export const CFN_CAPABILITIES: readonly string[] =
  SDK_ENUMS["@aws-sdk/client-cloudformation"].Capability;

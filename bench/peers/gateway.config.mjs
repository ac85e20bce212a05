// Hive Gateway's settings for the bench: the supergraph comes from the command line (`hive-gateway supergraph`);
// this file exists so the gateway does not pick up mesh.config.mjs as its configuration. Defaults otherwise.
export const gatewayConfig = {};

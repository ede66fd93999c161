export {
  ensureLocalTls,
  loadLocalTls,
  LOCAL_HOST_NAMES,
  type LocalTls,
  type LocalTlsMaterial,
} from "./certificates";
export { createClientCertificate, type ClientCertificate } from "./client-certificate";
export { msalNetworkTrusting } from "./msal-network";
export { boundPort, closeServers, listenOnLoopback } from "./loopback";
export { assertPortFree, freePort, PortInUseError, waitForPort } from "./ports";
export { rawRequest, type RawRequestOptions, type RawResponse } from "./raw-request";

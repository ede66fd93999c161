// `@keyward/identity-provider/testing`: helpers for tests of the provider's clients.
export { IdpCookieJar, signInAtIdp, type DriverResult } from "./login-driver";

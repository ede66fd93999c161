import { describe, expect, it } from "vitest";

import {
  allowedMethods,
  isHttpMethod,
  methodNotAllowedDetail,
  type HandlerMethod,
} from "@/lib/http/allowed-methods";

describe("allowedMethods", () => {
  it.each<[HandlerMethod[], string]>([
    [["GET"], "GET, HEAD, OPTIONS"],
    [["POST"], "OPTIONS, POST"],
    [["DELETE"], "DELETE, OPTIONS"],
    [["PUT"], "OPTIONS, PUT"],
    [["PATCH"], "OPTIONS, PATCH"],
    [["GET", "POST"], "GET, HEAD, OPTIONS, POST"],
    [["DELETE", "GET", "PATCH"], "DELETE, GET, HEAD, OPTIONS, PATCH"],
    [["GET", "GET"], "GET, HEAD, OPTIONS"],
    [["GET", "POST", "PUT", "PATCH", "DELETE"], "DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT"],
  ])("a route serving %j allows %s", (served, allow) => {
    expect(allowedMethods(served).join(", ")).toBe(allow);
  });
});

describe("methodNotAllowedDetail", () => {
  it("names the method, the path and what the path answers", () => {
    expect(methodNotAllowedDetail("DELETE", "/api/health", ["GET", "HEAD", "OPTIONS"])).toBe(
      "DELETE is not a method of /api/health; it answers GET, HEAD, OPTIONS.",
    );
  });
});

describe("isHttpMethod", () => {
  it.each([
    ["GET", true],
    ["HEAD", true],
    ["OPTIONS", true],
    ["DELETE", true],
    ["get", false],
    ["PROPFIND", false],
    ["TRACE", false],
    ["CONNECT", false],
    ["", false],
  ])("%j: %s", (method, known) => {
    expect(isHttpMethod(method)).toBe(known);
  });
});

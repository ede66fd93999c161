import { describe, expect, it } from "vitest";

import { placeFieldErrors, plainPointer, problemText, readProblem } from "@/lib/http/problem-text";

const problem = (body: unknown, status = 422) =>
  new Response(typeof body === "string" ? body : JSON.stringify(body), {
    status,
    headers: { "content-type": "application/problem+json" },
  });

describe("readProblem", () => {
  it.each([
    [
      "detail and field errors, pointers in either form",
      problem({
        title: "Validation failed",
        detail: "Bad size.",
        errors: [
          { in: "body", pointer: "#/justification", detail: "too short" },
          { in: "body", pointer: "/items/0/size", detail: "an RSA key is 2048, 3072, 4096 bits" },
        ],
      }),
      {
        status: 422,
        type: null,
        text: "Bad size.",
        signInUrl: null,
        fieldErrors: [
          { pointer: "/justification", detail: "too short" },
          { pointer: "/items/0/size", detail: "an RSA key is 2048, 3072, 4096 bits" },
        ],
      },
    ],
    [
      "the title when there is no detail",
      problem({ title: "Conflict" }, 409),
      { status: 409, type: null, text: "Conflict", signInUrl: null, fieldErrors: [] },
    ],
    [
      "a body that is not JSON",
      problem("<html>", 502),
      { status: 502, type: null, text: "HTTP 502", signInUrl: null, fieldErrors: [] },
    ],
    [
      "malformed field errors are left out",
      problem({ detail: "x", errors: [{ pointer: 3 }, null, { pointer: "/a", detail: "b" }] }),
      {
        status: 422,
        type: null,
        text: "x",
        signInUrl: null,
        fieldErrors: [{ pointer: "/a", detail: "b" }],
      },
    ],
  ])("%s", async (_name, response, expected) => {
    expect(await readProblem(response)).toEqual(expected);
  });

  it("reads a re-authentication problem's type and where to sign in", async () => {
    const read = await readProblem(
      problem(
        {
          type: "urn:keyward:problem:reauthentication-required",
          detail: "Sign in again.",
          signInUrl: "/api/auth/sign-in?reauth=1",
        },
        401,
      ),
    );
    expect(read).toMatchObject({
      type: "urn:keyward:problem:reauthentication-required",
      signInUrl: "/api/auth/sign-in?reauth=1",
    });
  });

  it("problemText is the text alone", async () => {
    expect(await problemText(problem({ detail: "No such key." }, 404))).toBe("No such key.");
  });
});

describe("plainPointer", () => {
  it.each([
    ["#/items/0", "/items/0"],
    ["/items/0", "/items/0"],
    ["#", ""],
  ])("%s → %s", (input, expected) => expect(plainPointer(input)).toBe(expected));
});

describe("placeFieldErrors", () => {
  const fieldOf = (pointer: string) =>
    pointer === "/justification" ? "justification" : pointer === "/items/0/size" ? "type" : null;

  it.each([
    [
      "every error on a field: nothing for the form",
      [{ pointer: "/items/0/size", detail: "bad size" }],
      { fields: { type: "bad size" }, form: null },
    ],
    [
      "an error no field claims: the problem's text for the form",
      [
        { pointer: "/items/0/size", detail: "bad size" },
        { pointer: "/kind", detail: "bad kind" },
      ],
      { fields: { type: "bad size" }, form: "The detail." },
    ],
    ["no field errors: the text for the form", [], { fields: {}, form: "The detail." }],
    [
      "the first message per field wins",
      [
        { pointer: "/justification", detail: "first" },
        { pointer: "/justification", detail: "second" },
      ],
      { fields: { justification: "first" }, form: null },
    ],
  ])("%s", (_name, fieldErrors, expected) => {
    expect(placeFieldErrors({ text: "The detail.", fieldErrors }, fieldOf)).toEqual(expected);
  });
});

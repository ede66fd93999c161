/*
 * A Managed HSM data-plane request as a low-cardinality operation name, for span names and
 * metric attributes: "GET /keys/{name}", never a key's own name (which may itself be sensitive,
 * and would make every key a metric series of its own). Pure module.
 */

const LITERALS = new Set(
  [
    "keys",
    "deletedkeys",
    "rotate",
    "rotationpolicy",
    "backup",
    "restore",
    "recover",
    "create",
    "import",
    "encrypt",
    "decrypt",
    "sign",
    "verify",
    "wrapkey",
    "unwrapkey",
    "release",
    "providers",
    "microsoft.authorization",
    "roleassignments",
    "roledefinitions",
    "pending",
    "securitydomain",
    "download",
    "upload",
    "transferkey",
    "settings",
    "rng",
    "versions",
    "attestation",
  ].map((word) => word.toLowerCase()),
);

function placeholderAfter(previous: string | undefined): string {
  switch (previous) {
    case "keys":
    case "deletedkeys":
      return "{name}";
    case "{name}":
      return "{version}";
    case "backup":
    case "restore":
      return "{job}";
    case "settings":
      return "{setting}";
    default:
      return "{id}";
  }
}

/** "GET /keys/{name}/{version}" for GET https://hsm/keys/payments/0f3c…?api-version=7.6. */
export function hsmOperation(method: string, url: string): string {
  const segments = new URL(url).pathname.split("/").filter(Boolean);
  const shaped: string[] = [];
  for (const segment of segments) {
    const lower = segment.toLowerCase();
    shaped.push(LITERALS.has(lower) ? lower : placeholderAfter(shaped.at(-1)));
  }
  return `${method.toUpperCase()} /${shaped.join("/")}`;
}

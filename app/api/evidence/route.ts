// GET /api/evidence – the signed evidence pack of a period and HSMs, streamed as a ZIP
import { evidenceQuerySchema } from "@/lib/evidence/period";
import { EVIDENCE_EXPORT_ACTION, evidencePack } from "@/lib/evidence/service";
import { routeMethods } from "@/lib/http/route-methods";
import { withRoute } from "@/lib/http/with-route";

const downloadEvidence = withRoute({
  access: { permission: "evidence.export" },
  // A download changes nothing, but it is recorded: the service appends the event itself.
  audit: { action: EVIDENCE_EXPORT_ACTION },
  schemas: { query: evidenceQuerySchema },
  response: {
    status: 200,
    description:
      "The evidence pack as a ZIP attachment (application/zip), streamed as it is built: inventory.csv, rotation-compliance.csv, access-matrix.csv, sod-findings.json, changes.csv, backups.csv, backup-days.csv, audit-extract.jsonl, audit-verification.json, README.txt, manifest.json (every file's SHA-256) and manifest.json.jws (the manifest signed with the audit signing key; its kid is in GET /api/audit/keys). The export is an audit event (evidence.export).",
    contentType: "application/zip",
  },
  handler: async ({ request, session, query, audit, log }) => {
    // HEAD runs this handler too: it learns the pack would be served, and nothing is exported.
    if (request.method === "HEAD")
      return new Response(null, { headers: { "content-type": "application/zip" } });
    const pack = await evidencePack(session, query, audit, log);
    return new Response(pack.stream, {
      headers: {
        "content-type": "application/zip",
        "content-disposition": `attachment; filename="${pack.fileName}"`,
        "x-content-type-options": "nosniff",
        "x-keyward-audit-event": String(pack.event.seq),
      },
    });
  },
});

export const { GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE } = routeMethods({
  GET: downloadEvidence,
});

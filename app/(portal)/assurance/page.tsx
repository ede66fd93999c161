import type { Metadata } from "next";

import { assuranceView } from "@/lib/assurance/service";
import { requirePermission } from "@/lib/auth/current-session";
import { hasPermission } from "@/lib/auth/permissions";
import { PageHeader } from "@/components/layout/page-header";

import { AuditSection } from "./audit-section";
import { BackupSection } from "./backup-section";
import { OutOfBandSection } from "./out-of-band-section";
import { ReviewSection } from "./review-section";
import { RotationSection } from "./rotation-section";
import { SodSection } from "./sod-section";

export const metadata: Metadata = { title: "Assurance" };

/*
 * The auditor's home: whether the controls hold, each section linked to its detailed page.
 * Read-only: nothing on it changes anything. Each section is shown to those who may read it.
 */
export default async function AssurancePage() {
  const session = await requirePermission("audit.read");
  const view = await assuranceView(session.roles);

  return (
    <>
      <PageHeader
        title="Assurance"
        description="Whether the portal's controls hold: the audit chain, the last evidence pack, changes made behind the portal's back, separation of duties, access reviews, rotation and backups, per HSM."
      />
      <div className="grid grid-cols-1 gap-6 xl:grid-cols-2">
        {view.audit ? (
          <AuditSection
            audit={view.audit}
            canExport={hasPermission(session.roles, "evidence.export")}
            now={view.now}
          />
        ) : null}
        {view.sod ? <SodSection rows={view.sod} /> : null}
        {view.reviews ? (
          <ReviewSection reviews={view.reviews} now={view.now} className="xl:col-span-2" />
        ) : null}
        {/* Wide tables and charts: the whole width. */}
        {view.outOfBand ? (
          <OutOfBandSection outOfBand={view.outOfBand} now={view.now} className="xl:col-span-2" />
        ) : null}
        {view.rotation ? (
          <RotationSection rotation={view.rotation} className="xl:col-span-2" />
        ) : null}
        {view.backups ? <BackupSection backups={view.backups} className="xl:col-span-2" /> : null}
      </div>
    </>
  );
}

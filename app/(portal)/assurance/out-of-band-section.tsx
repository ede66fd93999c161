import type { AssuranceView } from "@/lib/assurance/service";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import {
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
} from "@/components/ui/table";
import { OutOfBandTable } from "@/components/out-of-band/out-of-band-table";

/** Open out-of-band changes per HSM, and the newest few (the overview lists them all). */
export function OutOfBandSection({
  outOfBand,
  now,
  className,
}: {
  outOfBand: NonNullable<AssuranceView["outOfBand"]>;
  now: number;
  className?: string;
}) {
  const total = outOfBand.byHsm.reduce((sum, row) => sum + row.open, 0);
  return (
    <Card className={className} role="region" aria-labelledby="assurance-out-of-band">
      <CardHeader>
        <CardTitle id="assurance-out-of-band">Open out-of-band changes</CardTitle>
        <CardDescription>
          Changes a sync found in the HSMs that were not made through the portal, until a key
          administrator explains them.
        </CardDescription>
      </CardHeader>
      <CardContent className="flex flex-col gap-4 text-sm">
        <Table scrollLabel="Open out-of-band changes per HSM">
          <TableHeader>
            <TableRow>
              <TableHead>HSM</TableHead>
              <TableHead className="text-right">Open</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {outOfBand.byHsm.map((row) => (
              <TableRow key={row.hsm}>
                <TableCell>{row.hsm}</TableCell>
                <TableCell className="text-right tabular-nums">
                  {row.open.toLocaleString("en")}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
        {total === 0 ? (
          <p role="status" className="text-muted-foreground">
            No out-of-band change is open: every change found in the HSMs was made through the
            portal or has been explained.
          </p>
        ) : (
          <>
            <h3 className="font-medium">
              The newest {Math.min(total, outOfBand.newest.length)} of {total.toLocaleString("en")}
            </h3>
            <OutOfBandTable changes={outOfBand.newest} now={now} canExplain={false} />
            <a href="/overview" className="w-fit font-medium underline underline-offset-4">
              See every open change on the overview
            </a>
          </>
        )}
      </CardContent>
    </Card>
  );
}

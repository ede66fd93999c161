import type * as React from "react";

import { cn } from "@/lib/utils";

/*
 * Rows, headers and cells are styled by the `ui-table` rules in globals.css rather than by a
 * class on each of them: a page of rows renders hundreds of cells.
 */

/**
 * `scrollLabel` names the container as a region and makes it focusable, so that keyboard users
 * can scroll a table wider than the screen (WCAG 2.1.1); give it to every table that may overflow.
 */
function Table({
  className,
  scrollLabel,
  ...props
}: React.ComponentProps<"table"> & { scrollLabel?: string }) {
  return (
    <div
      className="ui-table-scroll"
      {...(scrollLabel ? { role: "region", "aria-label": scrollLabel, tabIndex: 0 } : {})}
    >
      <table className={cn("ui-table", className)} {...props} />
    </div>
  );
}

function TableHeader(props: React.ComponentProps<"thead">) {
  return <thead {...props} />;
}

function TableBody(props: React.ComponentProps<"tbody">) {
  return <tbody {...props} />;
}

function TableRow(props: React.ComponentProps<"tr">) {
  return <tr {...props} />;
}

function TableHead(props: React.ComponentProps<"th">) {
  return <th {...props} />;
}

function TableCell(props: React.ComponentProps<"td">) {
  return <td {...props} />;
}

export { Table, TableHeader, TableBody, TableRow, TableHead, TableCell };

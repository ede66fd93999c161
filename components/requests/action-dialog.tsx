"use client";

import { useState } from "react";

import { Button } from "@/components/ui/button";
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogHeader,
  DialogTitle,
  DialogTrigger,
} from "@/components/ui/dialog";

/**
 * A button that opens a change form in a dialog. Each opening starts a fresh form, so a filed
 * request's confirmation is not what the next opening shows.
 */
export function ActionDialog({
  label,
  buttonName,
  icon,
  title,
  description,
  variant = "outline",
  size = "sm",
  wide = false,
  onClosed,
  children,
}: {
  label: string;
  /** The button's accessible name, where its label alone is one of many (a Revoke per row). */
  buttonName?: string;
  icon?: React.ReactNode;
  title: string;
  description: React.ReactNode;
  variant?: "outline" | "destructive" | "default";
  /** "default" in a page header, beside its other buttons. */
  size?: "sm" | "default";
  /** For forms with two columns or a preview. */
  wide?: boolean;
  /** Called when the dialog closes: for a form whose success changes the page the dialog is on. */
  onClosed?: () => void;
  children: React.ReactNode;
}) {
  const [opened, setOpened] = useState(0);
  return (
    <Dialog
      onOpenChange={(open) => {
        if (open) setOpened((n) => n + 1);
        else onClosed?.();
      }}
    >
      <DialogTrigger asChild>
        <Button variant={variant} size={size} aria-label={buttonName}>
          {icon}
          {label}
        </Button>
      </DialogTrigger>
      <DialogContent className={wide ? "sm:max-w-2xl" : undefined}>
        <DialogHeader>
          <DialogTitle>{title}</DialogTitle>
          <DialogDescription>{description}</DialogDescription>
        </DialogHeader>
        <div key={opened} className="min-w-0">
          {children}
        </div>
      </DialogContent>
    </Dialog>
  );
}

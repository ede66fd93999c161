"use client";

import { setNonce } from "get-nonce";

/**
 * Hands the CSP nonce to libraries that inject <style> tags at run time (react-remove-scroll
 * inside Radix dialogs); without it the strict style-src blocks them.
 */
export function NonceSetter({ nonce }: { nonce: string | undefined }) {
  if (nonce) setNonce(nonce);
  return null;
}

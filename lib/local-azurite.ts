/*
 * Azurite's fixed development account, documented by Microsoft and the same in every Azurite:
 * not a secret. The portal uses it in local mode (the audit checkpoints); the launcher and the
 * tests start Azurite with it (scripts/lib/azurite.ts).
 */
export const AZURITE_DEV_ACCOUNT = {
  name: "devstoreaccount1",
  key: "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==",
} as const;

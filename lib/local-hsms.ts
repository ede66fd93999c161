/*
 * The HSMs the local emulator serves for the demo and the end-to-end tests, in the order of
 * KEYWARD_EMULATOR_PORTS. Two regions, so that cross-HSM views have something to show.
 */
export const LOCAL_HSMS = [
  { name: "keyward-weu", region: "West Europe" },
  { name: "keyward-neu", region: "North Europe" },
] as const;

export const DEFAULT_EMULATOR_PORTS = [8443, 8446] as const;

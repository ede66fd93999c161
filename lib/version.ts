import packageJson from "@/package.json";

export const KEYWARD_VERSION: string = packageJson.version;

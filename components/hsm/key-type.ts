/** "RSA 3072", "EC P-256", "AES": what a key is, as a person says it. */
export function keyTypeLabel(key: {
  family: "RSA" | "EC" | "oct" | null;
  keySize: number | null;
  curve: string | null;
}): string {
  if (key.family === "RSA") return key.keySize ? `RSA ${key.keySize}` : "RSA";
  if (key.family === "EC") return key.curve ? `EC ${key.curve}` : "EC";
  if (key.family === "oct") return "AES";
  return "Not read yet";
}

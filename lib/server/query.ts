/** A search parameter as Next hands it to a page (absent, once, or repeated): its first non-empty value. */
export function firstValue(value: string | string[] | undefined): string | undefined {
  return (Array.isArray(value) ? value[0] : value) || undefined;
}

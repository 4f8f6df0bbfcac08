/** A library's one-line message as a form shows it: "no user x" → "No user x." */
export function asSentence(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1) + (text.endsWith(".") ? "" : ".");
}

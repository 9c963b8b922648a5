import type { Contact } from "./outbox.server";

/** Enough of an address to recognise it, not enough to learn it: n•••@example.com, •••• 78. */
export function maskContact(contact: Contact): string[] {
  const out: string[] = [];
  if (contact.email) {
    const [user = "", domain = ""] = contact.email.split("@");
    out.push(`${user.slice(0, 1)}•••@${domain}`);
  }
  if (contact.mobile) out.push(`•••• ${contact.mobile.slice(-2)}`);
  return out;
}

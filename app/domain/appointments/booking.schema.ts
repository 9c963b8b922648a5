import { pageSchema } from "../forms/schema";
import { cancelFields, centreFields, slotFields } from "./booking.pages";

/** The one schema of each booking form, built from the definitions in booking.pages.ts. */
export const centreSchema = (codes: readonly string[]) => pageSchema("appointments", centreFields(codes));
export const slotSchema = (slotIds: readonly string[]) => pageSchema("appointments", slotFields(slotIds));
export const cancelSchema = () => pageSchema("appointments", cancelFields);

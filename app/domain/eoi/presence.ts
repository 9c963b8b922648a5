import { type BoundaryPolygon, FRANCE_BOUNDARY, type LonLat, type Ring } from "./france-boundary";

/**
 * Presence in France (domain.md Part A §3): does a browser geolocation reading place the person in
 * metropolitan France or Corsica?
 *
 * Rule, in order:
 * 1. Coordinates must be finite, latitude within ±90 and longitude within ±180, and the accuracy
 *    a finite number of metres ≥ 0; anything else is a RangeError (the form schema rejects it first).
 * 2. A reading less precise than MAX_ACCURACY_METRES is "inconclusive": such coarse IP or
 *    cell-tower fixes cannot tell which side of a border or coast someone is on, so ask again.
 * 3. If the boundary passes within the reading's accuracy radius, the person could be on either
 *    side: "inconclusive" (e.g. Monaco, Geneva or Kehl with a fix of a few hundred metres).
 * 4. Otherwise "in_france" inside the boundary, "outside_france" outside it.
 * Being "inconclusive" is never evidence of being outside; the caller decides how often to retry.
 */

/** Coarser readings than this cannot place someone on one side of a border. */
export const MAX_ACCURACY_METRES = 5_000;

export type LocationClass = "in_france" | "outside_france" | "inconclusive";

export interface LocationReading {
  lat: number;
  lon: number;
  /** Radius of 95% confidence in metres, as the Geolocation API's `coords.accuracy` gives it. */
  accuracy: number;
}

// Mean Earth radius; the local flat projection below is good to well under 1% over the few
// kilometres the accuracy rule compares.
const METRES_PER_DEGREE = (6_371_008.8 * Math.PI) / 180;

export function isValidCoordinate(lat: number, lon: number): boolean {
  return Number.isFinite(lat) && Number.isFinite(lon) && Math.abs(lat) <= 90 && Math.abs(lon) <= 180;
}

function assertCoordinate(lat: number, lon: number): void {
  if (!isValidCoordinate(lat, lon))
    throw new RangeError("latitude or longitude is not a valid WGS84 coordinate");
}

/** Even-odd ray casting: a horizontal ray from the point crosses the ring an odd number of times iff inside. */
function inRing(lon: number, lat: number, ring: Ring): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i] as LonLat;
    const [xj, yj] = ring[j] as LonLat;
    if (yi > lat !== yj > lat && lon < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

function inPolygon(lon: number, lat: number, polygon: BoundaryPolygon): boolean {
  return inRing(lon, lat, polygon.outer) && !polygon.holes.some((hole) => inRing(lon, lat, hole));
}

/** Whether the point lies inside the boundary, ignoring accuracy. Polygons may overlap (islands near the coast). */
export function isInsideBoundary(
  lat: number,
  lon: number,
  boundary: readonly BoundaryPolygon[] = FRANCE_BOUNDARY,
): boolean {
  assertCoordinate(lat, lon);
  return boundary.some((polygon) => inPolygon(lon, lat, polygon));
}

function distanceToRingMetres(lat: number, lon: number, ring: Ring): number {
  const kx = METRES_PER_DEGREE * Math.cos((lat * Math.PI) / 180);
  let min = Number.POSITIVE_INFINITY;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [lonA, latA] = ring[j] as LonLat;
    const [lonB, latB] = ring[i] as LonLat;
    // Edge end points relative to the point, in metres.
    const ax = (lonA - lon) * kx;
    const ay = (latA - lat) * METRES_PER_DEGREE;
    const dx = (lonB - lon) * kx - ax;
    const dy = (latB - lat) * METRES_PER_DEGREE - ay;
    const lengthSquared = dx * dx + dy * dy;
    const t = lengthSquared === 0 ? 0 : Math.min(1, Math.max(0, -(ax * dx + ay * dy) / lengthSquared));
    min = Math.min(min, Math.hypot(ax + t * dx, ay + t * dy));
  }
  return min;
}

/** Distance in metres from the point to the nearest edge of the boundary, on either side of it. */
export function distanceToBoundaryMetres(
  lat: number,
  lon: number,
  boundary: readonly BoundaryPolygon[] = FRANCE_BOUNDARY,
): number {
  assertCoordinate(lat, lon);
  let min = Number.POSITIVE_INFINITY;
  for (const polygon of boundary) {
    for (const ring of [polygon.outer, ...polygon.holes])
      min = Math.min(min, distanceToRingMetres(lat, lon, ring));
  }
  return min;
}

/** Classifies a geolocation reading; see the rule at the top of this file. */
export function classifyLocation(
  reading: LocationReading,
  boundary: readonly BoundaryPolygon[] = FRANCE_BOUNDARY,
): LocationClass {
  const { lat, lon, accuracy } = reading;
  assertCoordinate(lat, lon);
  if (!Number.isFinite(accuracy) || accuracy < 0)
    throw new RangeError("accuracy must be a finite number of metres ≥ 0");
  if (accuracy > MAX_ACCURACY_METRES) return "inconclusive";
  if (distanceToBoundaryMetres(lat, lon, boundary) <= accuracy) return "inconclusive";
  return isInsideBoundary(lat, lon, boundary) ? "in_france" : "outside_france";
}

/**
 * True only when the reading is conclusively in metropolitan France or Corsica. With the default
 * accuracy of 0 this is plain point-in-polygon.
 */
export function isInFrance(lat: number, lon: number, accuracyMetres = 0): boolean {
  return classifyLocation({ lat, lon, accuracy: accuracyMetres }) === "in_france";
}

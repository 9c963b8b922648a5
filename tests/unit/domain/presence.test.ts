import { describe, expect, it } from "vitest";
import { type BoundaryPolygon, FRANCE_BOUNDARY, type LonLat, type Ring } from "~/domain/eoi/france-boundary";
import {
  classifyLocation,
  distanceToBoundaryMetres,
  isInFrance,
  isInsideBoundary,
  isValidCoordinate,
  MAX_ACCURACY_METRES,
} from "~/domain/eoi/presence";

// A good phone GPS fix.
const GPS = 20;

describe("places", () => {
  it.each([
    ["Paris", 48.8566, 2.3522],
    ["Calais", 50.9513, 1.8587],
    ["Dunkirk", 51.0344, 2.3768],
    ["Grande-Synthe", 51.0139, 2.3028],
    ["Lille", 50.6292, 3.0573],
    ["Marseille", 43.2965, 5.3698],
    ["Brest", 48.3904, -4.4861],
    ["Strasbourg", 48.5734, 7.7521],
    ["Nice", 43.7102, 7.262],
    ["Biarritz", 43.4832, -1.5586],
    ["Perpignan", 42.6887, 2.8948],
    ["Ajaccio", 41.9192, 8.7386],
    ["Bastia", 42.6977, 9.4508],
    ["Chamonix", 45.9237, 6.8694],
  ])("%s is in France", (_, lat, lon) => {
    expect(classifyLocation({ lat, lon, accuracy: GPS })).toBe("in_france");
    expect(isInFrance(lat, lon)).toBe(true);
  });

  it.each([
    ["London", 51.5074, -0.1278],
    ["Dover", 51.1279, 1.3134],
    ["Brussels", 50.8503, 4.3517],
    ["Geneva", 46.2044, 6.1432],
    ["Monaco", 43.7384, 7.4246],
    ["Andorra la Vella", 42.5063, 1.5218],
    ["Barcelona", 41.3874, 2.1686],
    ["Luxembourg", 49.6116, 6.1319],
    ["St Helier, Jersey", 49.1868, -2.1069],
    ["Turin", 45.0703, 7.6869],
    ["Freiburg", 47.999, 7.8421],
    ["the middle of the Channel", 50.2, -0.5],
  ])("%s is outside France", (_, lat, lon) => {
    expect(classifyLocation({ lat, lon, accuracy: GPS })).toBe("outside_france");
    expect(isInFrance(lat, lon)).toBe(false);
  });

  // Beaches on the Nord and Pas-de-Calais coast, where many applicants are. The coast line is
  // pushed 3 km out to sea, so the shore itself is inside.
  it.each([
    ["Calais beach", 50.965, 1.84],
    ["Malo-les-Bains beach, Dunkirk", 51.05, 2.4],
    ["Loon-Plage", 51.001, 2.215],
    ["Gravelines", 50.987, 2.128],
    ["Wimereux", 50.769, 1.611],
    ["Le Portel", 50.706, 1.572],
    ["Équihen-Plage", 50.678, 1.57],
    ["Berck", 50.408, 1.593],
    ["Cap Gris-Nez", 50.872, 1.584],
  ])("%s is in France", (_, lat, lon) => {
    expect(classifyLocation({ lat, lon, accuracy: GPS })).toBe("in_france");
  });

  // Towns within about 1.5 km of a land border: the boundary keeps every source vertex there.
  it.each([
    ["Halluin (Lys, facing Menen)", 50.7836, 3.1256],
    ["Tourcoing", 50.7239, 3.1612],
    ["Givet (Ardennes)", 50.1378, 4.825],
    ["Forbach", 49.188, 6.896],
    ["Sarreguemines", 49.11, 7.068],
    ["Wissembourg", 49.037, 7.945],
    ["Saint-Louis (facing Basel)", 47.59, 7.56],
    ["Ferney-Voltaire", 46.2558, 6.1081],
    ["Saint-Julien-en-Genevois", 46.144, 6.082],
    ["Annemasse", 46.1934, 6.2342],
    ["Évian-les-Bains", 46.401, 6.59],
    ["Menton", 43.776, 7.503],
    ["Le Perthus", 42.464, 2.862],
    ["Hendaye", 43.3586, -1.7744],
    ["Saint-Martin-de-Ré", 46.203, -1.367],
    ["Le Palais, Belle-Île", 47.347, -3.155],
    ["Porquerolles", 43.0, 6.202],
  ])("%s is in France", (_, lat, lon) => {
    expect(classifyLocation({ lat, lon, accuracy: GPS })).toBe("in_france");
  });

  it.each([
    ["Kehl (across the Rhine from Strasbourg)", 48.572, 7.815],
    ["Basel", 47.5596, 7.5886],
    ["Saarbrücken", 49.2402, 6.9969],
    ["Menen", 50.796, 3.122],
    ["Mouscron", 50.744, 3.214],
    ["Esch-sur-Alzette", 49.4958, 5.9806],
    ["Ventimiglia", 43.791, 7.607],
    ["Irun", 43.339, -1.789],
    ["Hondarribia", 43.362, -1.792],
    ["Portbou", 42.426, 3.158],
    ["La Jonquera", 42.419, 2.875],
    ["Puigcerdà", 42.4317, 1.9283],
    ["Llívia (Spanish enclave)", 42.464, 1.98],
    ["Pas de la Casa, Andorra", 42.542, 1.733],
    ["Courmayeur", 45.7967, 6.9689],
    ["Lausanne", 46.5197, 6.6323],
    ["Folkestone", 51.081, 1.166],
    ["Alderney", 49.714, -2.203],
    ["St Peter Port, Guernsey", 49.455, -2.536],
    ["Santa Teresa Gallura, Sardinia", 41.239, 9.189],
  ])("%s is outside France", (_, lat, lon) => {
    expect(classifyLocation({ lat, lon, accuracy: GPS })).toBe("outside_france");
  });
});

describe("accuracy", () => {
  it.each([
    ["a precise fix in Paris", 48.8566, 2.3522, 10, "in_france"],
    ["a 5 km fix in Paris, 150 km from any border", 48.8566, 2.3522, MAX_ACCURACY_METRES, "in_france"],
    ["a fix coarser than 5 km in Paris", 48.8566, 2.3522, MAX_ACCURACY_METRES + 1, "inconclusive"],
    ["a city-wide fix in Dover", 51.1279, 1.3134, 3_000, "outside_france"],
    ["an IP-level fix in London", 51.5074, -0.1278, 25_000, "inconclusive"],
    ["Strasbourg, 3.5 km from the Rhine, with a 1 km fix", 48.5734, 7.7521, 1_000, "in_france"],
    ["Strasbourg with a 4 km fix that reaches across the Rhine", 48.5734, 7.7521, 4_000, "inconclusive"],
    ["Monaco with a GPS fix", 43.7384, 7.4246, GPS, "outside_france"],
    ["Monaco with a 300 m fix that reaches into France", 43.7384, 7.4246, 300, "inconclusive"],
    ["Le Perthus, 80 m from the border, with a 200 m fix", 42.464, 2.862, 200, "inconclusive"],
    ["Geneva with a 1 km fix", 46.2044, 6.1432, 1_000, "outside_france"],
  ] as const)("%s is %s", (_, lat, lon, accuracy, expected) => {
    expect(classifyLocation({ lat, lon, accuracy })).toBe(expected);
  });

  it("isInFrance is true only for a conclusive reading", () => {
    expect(isInFrance(48.8566, 2.3522, 100)).toBe(true);
    expect(isInFrance(48.8566, 2.3522, 10_000)).toBe(false);
    expect(isInFrance(43.7384, 7.4246, 300)).toBe(false);
  });
});

describe("invalid readings", () => {
  it.each([
    [Number.NaN, 2.35],
    [48.85, Number.NaN],
    [Number.POSITIVE_INFINITY, 2.35],
    [48.85, Number.NEGATIVE_INFINITY],
    [90.01, 2.35],
    [-90.01, 2.35],
    [48.85, 180.01],
    [48.85, -180.01],
  ])("rejects latitude %s, longitude %s", (lat, lon) => {
    expect(isValidCoordinate(lat, lon)).toBe(false);
    expect(() => classifyLocation({ lat, lon, accuracy: GPS })).toThrow(RangeError);
    expect(() => isInFrance(lat, lon)).toThrow(RangeError);
    expect(() => distanceToBoundaryMetres(lat, lon)).toThrow(RangeError);
  });

  it.each([-1, Number.NaN, Number.POSITIVE_INFINITY])("rejects an accuracy of %s", (accuracy) => {
    expect(() => classifyLocation({ lat: 48.85, lon: 2.35, accuracy })).toThrow(RangeError);
  });

  it("accepts the extreme valid coordinates", () => {
    expect(isValidCoordinate(90, 180)).toBe(true);
    expect(classifyLocation({ lat: -90, lon: -180, accuracy: 0 })).toBe("outside_france");
  });
});

describe("the rule on a toy boundary", () => {
  // A 0.2° square with a 0.02° hole, near the equator where a degree is about 111 km.
  const square: BoundaryPolygon = {
    name: "square",
    outer: [
      [0, 0],
      [0.2, 0],
      [0.2, 0.2],
      [0, 0.2],
    ],
    holes: [
      [
        [0.09, 0.09],
        [0.11, 0.09],
        [0.11, 0.11],
        [0.09, 0.11],
      ],
    ],
  };
  const toy = [square];

  it.each([
    ["well inside", 0.05, 0.05, 100, "in_france"],
    ["inside the hole", 0.1, 0.1, 100, "outside_france"],
    ["outside", 0.3, 0.1, 100, "outside_france"],
    ["inside, 1.1 km from the edge, with a 1 km fix", 0.01, 0.1, 1_000, "in_france"],
    ["inside, 1.1 km from the edge, with a 2 km fix", 0.01, 0.1, 2_000, "inconclusive"],
    ["outside, 1.1 km from the edge, with a 2 km fix", -0.01, 0.1, 2_000, "inconclusive"],
    ["on the edge with a perfect fix", 0, 0.1, 0, "inconclusive"],
  ] as const)("%s: %s", (_, lat, lon, accuracy, expected) => {
    expect(classifyLocation({ lat, lon, accuracy }, toy)).toBe(expected);
  });

  it("measures distances in metres", () => {
    // 0.01° of latitude is 1,112 m on a 6,371 km sphere.
    expect(distanceToBoundaryMetres(0.01, 0.1, toy)).toBeCloseTo(1_112, -1);
    expect(distanceToBoundaryMetres(0.1, 0.1, toy)).toBeCloseTo(1_112, -1);
    expect(isInsideBoundary(0.1, 0.1, toy)).toBe(false);
  });
});

describe("the France boundary", () => {
  const rings = FRANCE_BOUNDARY.flatMap((polygon) => [polygon.outer, ...polygon.holes]);

  function crosses(a: LonLat, b: LonLat, c: LonLat, d: LonLat): boolean {
    const side = (p: LonLat, q: LonLat, r: LonLat) =>
      Math.sign((q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0]));
    return side(c, d, a) * side(c, d, b) < 0 && side(a, b, c) * side(a, b, d) < 0;
  }

  function selfCrossings(ring: Ring): number {
    let count = 0;
    const n = ring.length;
    for (let i = 0; i < n; i++) {
      for (let j = i + 2; j < n; j++) {
        if (i === 0 && j === n - 1) continue;
        if (
          crosses(
            ring[i] as LonLat,
            ring[(i + 1) % n] as LonLat,
            ring[j] as LonLat,
            ring[(j + 1) % n] as LonLat,
          )
        ) {
          count++;
        }
      }
    }
    return count;
  }

  it("has the mainland, Corsica and the larger islands", () => {
    const names = FRANCE_BOUNDARY.map((polygon) => polygon.name);
    expect(names.slice(0, 2)).toEqual(["Mainland", "Corsica"]);
    const mainland = FRANCE_BOUNDARY[0] as BoundaryPolygon;
    expect(mainland.outer.length).toBeGreaterThan(150);
    expect(mainland.outer.length).toBeLessThan(300);
  });

  it("keeps every vertex in a box around metropolitan France", () => {
    for (const ring of rings) {
      expect(ring.length).toBeGreaterThanOrEqual(3);
      for (const [lon, lat] of ring) {
        expect(lon).toBeGreaterThan(-5.6);
        expect(lon).toBeLessThan(9.7);
        expect(lat).toBeGreaterThan(41.3);
        expect(lat).toBeLessThan(51.2);
      }
    }
  });

  it("has no ring that crosses itself", () => {
    expect(rings.map(selfCrossings)).toEqual(rings.map(() => 0));
  });
});

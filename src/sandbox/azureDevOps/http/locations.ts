import { z } from 'zod';
import locationData from '../data/locations.json';
import areaData from '../data/resourceAreas.json';

const LocationSchema = z.object({
  id: z.string(),
  area: z.string(),
  resourceName: z.string(),
  routeTemplate: z.string(),
  resourceVersion: z.number().int(),
  minVersion: z.string(),
  maxVersion: z.string(),
  releasedVersion: z.string(),
});

/** One entry of an `OPTIONS {org}/_apis/{area}` answer: where a resource lives and which versions it has. */
export type ResourceLocation = z.infer<typeof LocationSchema>;

/** Shipped data (see data/locations.json `$source`), checked once so a bad regeneration fails loudly. */
export const LOCATIONS: readonly ResourceLocation[] = z.array(LocationSchema).parse(locationData.locations);

export const RESOURCE_AREAS: readonly { readonly id: string; readonly name: string }[] = z
  .array(z.object({ id: z.string(), name: z.string() }))
  .parse(areaData.resourceAreas);

const byId = new Map(LOCATIONS.map((l) => [l.id.toLowerCase(), l]));

export function locationById(id: string): ResourceLocation {
  const found = byId.get(id.toLowerCase());
  if (!found) throw new Error(`Unknown Azure DevOps resource location ${id}.`);
  return found;
}

/** Every location of one area (case-insensitive, as the service matches area names), or all of them. */
export function locationsInArea(area: string | undefined): ResourceLocation[] {
  if (!area) return [...LOCATIONS];
  const wanted = area.toLowerCase();
  return LOCATIONS.filter((l) => l.area.toLowerCase() === wanted);
}

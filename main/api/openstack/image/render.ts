import type { ImageView } from '../../../image/image-types';

/** The image document Glance returns: core fields, with custom properties flattened beside them. */
export function glanceImage(v: ImageView): Record<string, unknown> {
  const { properties, ...core } = v;
  return { ...properties, ...core };
}

import { z } from 'zod/mini';
import { request } from './http.ts';

/** Avatars and organization logos (backend: image.router.ts); images travel as base64 JSON. */
const urlSchema = z.looseObject({ url: z.nullable(z.string()) });
const id = encodeURIComponent;

export const imagesApi = {
  avatar: () => request('GET', '/api/v1/account/avatar', { schema: urlSchema }),
  setAvatar: (data: string) => request('PUT', '/api/v1/account/avatar', { body: { data }, schema: urlSchema }),
  removeAvatar: () => request('DELETE', '/api/v1/account/avatar'),
  logo: (orgId: string) => request('GET', `/api/v1/organizations/${id(orgId)}/logo`, { schema: urlSchema }),
  setLogo: (orgId: string, data: string) =>
    request('PUT', `/api/v1/organizations/${id(orgId)}/logo`, { body: { data }, schema: urlSchema }),
};

/** A picked file as base64 (without the data: URL prefix). */
export async function fileToBase64(file: Blob): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

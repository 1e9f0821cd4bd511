import sharp from 'sharp';
import { BRANDING_LIMITS } from '../../../protocol/branding.js';
import { AppError } from '../../errors.js';
import { detectKind } from '../attachments/detect-kind.js';

const ACCEPTED = new Set(['png', 'jpeg', 'webp']);

/**
 * An uploaded avatar, decoded within a pixel bound and drawn again as a small square PNG: what is
 * stored and served holds pixels only (no EXIF position or camera, no ICC comments, nothing a browser
 * could take for script), in one media type Parley names itself. The kind comes from the content;
 * SVG, GIF and anything else is refused before it is decoded.
 */
export async function avatarImage(input: Buffer): Promise<Buffer> {
  if (!ACCEPTED.has(detectKind(input) ?? '')) throw new AppError('avatar_not_image');
  const limitInputPixels = BRANDING_LIMITS.maxAvatarPixels;
  try {
    const meta = await sharp(input, { limitInputPixels }).metadata();
    if (!meta.width || !meta.height) throw new AppError('avatar_unreadable');
    if (meta.width * meta.height > limitInputPixels) throw new AppError('avatar_image_too_large');
    const side = BRANDING_LIMITS.avatarSize;
    return await sharp(input, { limitInputPixels, failOn: 'error' })
      .rotate()
      .resize(side, side, { fit: 'cover' })
      .png()
      .toBuffer();
  } catch (err) {
    if (err instanceof AppError) throw err;
    if (/pixel limit/i.test((err as Error).message)) throw new AppError('avatar_image_too_large');
    throw new AppError('avatar_unreadable');
  }
}

import sharp from 'sharp';
import type { AttachmentKind } from '../../../protocol/attachments.js';
import { AppError } from '../../errors.js';

export interface ReencodedImage {
  bytes: Buffer;
  width: number;
  height: number;
}

/**
 * Decodes an image within a pixel bound and encodes it again in its own format. What comes out holds
 * pixels only: EXIF (camera, GPS position, time), XMP, IPTC and ICC comments are not copied (sharp
 * keeps none unless asked), and the EXIF orientation is applied to the pixels first so the image still
 * stands the right way up. An image over the bound (a decompression bomb among them) is refused from
 * its header, before its pixels are decoded.
 */
export async function reencodeImage(
  input: Buffer,
  kind: AttachmentKind,
  maxPixels: number,
): Promise<ReencodedImage> {
  const animated = kind === 'gif';
  try {
    const meta = await sharp(input, { limitInputPixels: maxPixels }).metadata();
    if (!meta.width || !meta.height) throw new AppError('attachment_unreadable');
    const frames = animated ? (meta.pages ?? 1) : 1;
    if (meta.width * meta.height * frames > maxPixels) throw new AppError('attachment_image_too_large');
    let image = sharp(input, { limitInputPixels: maxPixels, failOn: 'error', animated });
    if (!animated) image = image.rotate();
    if (kind === 'png') image = image.png();
    else if (kind === 'jpeg') image = image.jpeg({ quality: 88 });
    else if (kind === 'webp') image = image.webp({ quality: 88 });
    else image = image.gif();
    const { data, info } = await image.toBuffer({ resolveWithObject: true });
    return { bytes: data, width: info.width, height: info.pageHeight ?? info.height };
  } catch (err) {
    if (err instanceof AppError) throw err;
    if (/pixel limit/i.test((err as Error).message)) throw new AppError('attachment_image_too_large');
    throw new AppError('attachment_unreadable');
  }
}

"""Checking and cleaning the images panellists attach to blog posts.

Only PNG and JPEG are opened (Pillow is told so: no other decoder ever sees the bytes), the
pixel count is capped before decoding, the file is verified, then decoded and re-encoded from
its pixels alone: EXIF (GPS position, camera, owner), XMP, comments and anything appended
after the image data do not survive.
"""

import io

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_IMAGE_BYTES = 5 * 1024 * 1024
MAX_IMAGE_PIXELS = 24_000_000  # e.g. 6000 × 4000, a modern phone photo
ALLOWED_FORMATS = ("PNG", "JPEG")
EXTENSIONS = {"PNG": "png", "JPEG": "jpg"}
# Phones often write JPEGs carrying a second picture (a depth or HDR gain map): Pillow's JPEG
# decoder reads them as MPO. They are JPEGs; only the main picture is kept.
JPEG_VARIANTS = {"MPO": "JPEG"}


def _refuse_format() -> ValidationError:
    return ValidationError(
        _("Please choose a PNG or JPEG image. Other formats (such as SVG, GIF or HEIC) are not accepted: "
          "on a phone, share the photo as JPEG or take a screenshot."),
        code="image_format",
    )


def clean_image(uploaded) -> ContentFile:
    """The upload re-encoded without metadata, or a ValidationError the author can act on."""
    if uploaded.size is not None and uploaded.size > MAX_IMAGE_BYTES:
        raise ValidationError(_("The image is larger than 5 MB. Please choose a smaller one."), code="image_size")
    data = uploaded.read(MAX_IMAGE_BYTES + 1)
    if len(data) > MAX_IMAGE_BYTES:
        raise ValidationError(_("The image is larger than 5 MB. Please choose a smaller one."), code="image_size")
    try:
        with Image.open(io.BytesIO(data), formats=list(ALLOWED_FORMATS)) as probe:
            image_format = JPEG_VARIANTS.get(probe.format, probe.format)
            width, height = probe.size
            if width * height > MAX_IMAGE_PIXELS:
                raise ValidationError(
                    _("The image has too many pixels. Please choose one below 24 megapixels."), code="image_pixels"
                )
            probe.verify()
        # verify() leaves the image unusable: decode it again from the start.
        with Image.open(io.BytesIO(data), formats=[image_format]) as image:
            image.load()
            # Turn the picture the way the camera meant before the orientation tag is dropped.
            upright = ImageOps.exif_transpose(image)
            return _reencode(upright, image_format)
    except ValidationError:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError):
        raise _refuse_format() from None
    except (OSError, SyntaxError, ValueError):
        raise ValidationError(
            _("This image file seems to be damaged. Please choose another one."), code="image_damaged"
        ) from None


def _reencode(image: Image.Image, image_format: str) -> ContentFile:
    """A new file from the pixels only: no info dictionary, EXIF, XMP or ICC is passed on."""
    output = io.BytesIO()
    if image_format == "JPEG":
        if image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        pixels = Image.new(image.mode, image.size)
        pixels.paste(image)
        pixels.save(output, format="JPEG", quality=88, optimize=True)
    else:
        if image.mode not in ("RGB", "RGBA", "L", "LA", "P"):
            image = image.convert("RGBA")
        pixels = Image.new(image.mode, image.size)
        if image.mode == "P":
            pixels.putpalette(image.getpalette())
        pixels.paste(image)
        pixels.save(output, format="PNG", optimize=True)
    return ContentFile(output.getvalue(), name=f"image.{EXTENSIONS[image_format]}")

"""Images of the visible signatures (Decree 30/2020 App. I, part II; standards §2.9).

- **Signer's image**: the person's signature in blue on a transparent background, placed
  in the signer box between the title line and the printed name. CoQuan has no scan of the
  handwritten signature, so it draws the name in an italic hand with a stroke under it, and
  the signing information (name, ISO 8601 time) in small blue text.
- **Seal image**: the agency's seal in red on a transparent background, at about real size
  (35 mm), covering about one third of the signer's image on its left side; under it, the
  number and notation and the signing time.
- **Attachment stamp**: no image; the number and notation and the signing time (ISO 8601,
  Vietnam time) in black serif 10 pt.

The images are PNG (RGBA) drawn with Pillow at four pixels per PDF point. pyHanko places
them as the appearance of the signature field. Text is drawn into the image because
pyHanko's own text stamps need HarfBuzz for a Unicode font (not installed here) and the
standard PDF fonts have no Vietnamese letters.
"""

from __future__ import annotations

import math
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

SCALE = 4  # pixels per PDF point
BLUE = (0, 51, 204, 255)
RED = (204, 0, 0, 255)
BLACK = (0, 0, 0, 255)

_FONT_DIRS = (
    Path("/usr/share/fonts/truetype/noto"),
    Path("/usr/share/fonts/truetype/dejavu"),
    Path("/usr/share/fonts/truetype/liberation"),
)
_FONT_FILES = {
    "regular": ("NotoSerif-Regular.ttf", "DejaVuSerif.ttf", "LiberationSerif-Regular.ttf"),
    "italic": ("NotoSerif-Italic.ttf", "DejaVuSerif-Italic.ttf", "LiberationSerif-Italic.ttf"),
    "bold": ("NotoSerif-Bold.ttf", "DejaVuSerif-Bold.ttf", "LiberationSerif-Bold.ttf"),
}


@lru_cache(maxsize=64)
def font(style: str, size_pt: float) -> ImageFont.ImageFont:
    """A serif font with Vietnamese letters at ``size_pt`` points (Pillow's default if none)."""
    pixels = max(1, round(size_pt * SCALE))
    for directory in _FONT_DIRS:
        for name in _FONT_FILES[style]:
            path = directory / name
            if path.exists():
                return ImageFont.truetype(str(path), pixels)
    return ImageFont.load_default(pixels)


def _canvas(width_pt: float, height_pt: float) -> tuple[Image.Image, ImageDraw.ImageDraw]:
    image = Image.new("RGBA", (round(width_pt * SCALE), round(height_pt * SCALE)), (0, 0, 0, 0))
    return image, ImageDraw.Draw(image)


def _fit(draw, text: str, style: str, size_pt: float, max_width_px: int):
    """The largest font (≤ ``size_pt``) in which ``text`` fits ``max_width_px``."""
    size = size_pt
    while size > 4:
        face = font(style, size)
        if draw.textlength(text, font=face) <= max_width_px:
            return face
        size -= 0.5
    return font(style, 4)


def _centred(draw, text: str, y_px: float, width_px: int, face, fill) -> None:
    length = draw.textlength(text, font=face)
    draw.text(((width_px - length) / 2, y_px), text, font=face, fill=fill)


def signer_image(name: str, signed_at: str, width_pt: float, height_pt: float) -> Image.Image:
    """The blue signer's image: the name in an italic hand, a stroke, the signing data."""
    image, draw = _canvas(width_pt, height_pt)
    width, height = image.size
    hand = _fit(draw, name, "italic", height_pt * 0.32, int(width * 0.9))
    _centred(draw, name, height * 0.14, width, hand, BLUE)
    y = height * 0.56
    draw.line(
        [(width * 0.15, y), (width * 0.5, y + height * 0.04), (width * 0.85, y - height * 0.03)],
        fill=BLUE,
        width=max(2, SCALE),
    )
    small = font("regular", 7)
    _centred(draw, name, height * 0.64, width, small, BLUE)
    _centred(draw, signed_at, height * 0.80, width, small, BLUE)
    return image


def _text_on_arc(image, text: str, centre, radius: float, face, fill) -> None:
    """Draw ``text`` along the upper arc of a circle (letters upright towards the centre)."""
    draw = ImageDraw.Draw(image)
    widths = [draw.textlength(char, font=face) for char in text]
    total_angle = sum(widths) / radius
    total_angle = min(total_angle, math.radians(300))
    angle = -math.pi / 2 - total_angle / 2
    scale = total_angle / (sum(widths) / radius) if widths and sum(widths) else 1
    for char, char_width in zip(text, widths, strict=True):
        step = char_width / radius * scale
        middle = angle + step / 2
        x = centre[0] + radius * math.cos(middle)
        y = centre[1] + radius * math.sin(middle)
        size = int(face.size * 1.6) + 2
        glyph = Image.new("RGBA", (size, size), (0, 0, 0, 0))
        ImageDraw.Draw(glyph).text((size / 2, size / 2), char, font=face, fill=fill, anchor="mm")
        rotated = glyph.rotate(-math.degrees(middle) - 90, resample=Image.Resampling.BICUBIC)
        image.alpha_composite(rotated, (int(x - size / 2), int(y - size / 2)))
        angle += step


def _star(draw, centre, radius: float, fill) -> None:
    points = []
    for index in range(10):
        r = radius if index % 2 == 0 else radius * 0.4
        a = -math.pi / 2 + index * math.pi / 5
        points.append((centre[0] + r * math.cos(a), centre[1] + r * math.sin(a)))
    draw.polygon(points, fill=fill)


@lru_cache(maxsize=32)
def _seal_disc(agency_name: str, short_name: str, width_pt: float, height_pt: float):
    """The seal without its caption, drawn once per agency and size (letters on the arc)."""
    image, draw = _canvas(width_pt, height_pt)
    width, _height = image.size
    diameter = width * 0.92
    centre = (width / 2, diameter / 2 + width * 0.04)
    radius = diameter / 2
    ring = max(3, SCALE)
    draw.ellipse(
        [centre[0] - radius, centre[1] - radius, centre[0] + radius, centre[1] + radius],
        outline=RED,
        width=ring,
    )
    inner = radius * 0.72
    draw.ellipse(
        [centre[0] - inner, centre[1] - inner, centre[0] + inner, centre[1] + inner],
        outline=RED,
        width=max(2, SCALE // 2),
    )
    _text_on_arc(image, agency_name.upper(), centre, radius * 0.86, font("bold", 6.5), RED)
    _star(draw, (centre[0], centre[1] - inner * 0.35), inner * 0.28, RED)
    label = _fit(draw, short_name.upper(), "bold", 9, int(inner * 1.6))
    _centred(draw, short_name.upper(), centre[1] + inner * 0.05, width, label, RED)
    return image, centre[1] + radius + width * 0.03


def seal_image(
    agency_name: str, short_name: str, caption: list[str], width_pt: float, height_pt: float
) -> Image.Image:
    """The red seal (a circle ``width_pt`` wide at the top) and its caption lines below."""
    disc, y = _seal_disc(agency_name, short_name, width_pt, height_pt)
    image = disc.copy()
    draw = ImageDraw.Draw(image)
    width, _height = image.size
    small = font("regular", 6.5)
    for line in caption:
        face = _fit(draw, line, "regular", 6.5, int(width * 0.98)) if line else small
        _centred(draw, line, y, width, face, RED)
        y += 8 * SCALE
    return image


def text_stamp_image(lines: list[str], width_pt: float, height_pt: float) -> Image.Image:
    """Black serif text lines, 10 pt (the stamp of a separately signed attachment)."""
    image, draw = _canvas(width_pt, height_pt)
    width, _height = image.size
    y = 2 * SCALE
    for line in lines:
        face = _fit(draw, line, "regular", 10, int(width * 0.98))
        draw.text(
            (width - draw.textlength(line, font=face) - SCALE, y), line, font=face, fill=BLACK
        )
        y += 13 * SCALE
    return image

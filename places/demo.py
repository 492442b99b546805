"""Demo data: Tehran's 22 districts with their areas and neighbourhoods.

The district numbers are real; area and neighbourhood names are made up for
the demo (about 350 neighbourhoods, as in Tehran). Safe to run again: every
row is found by a stable key before it is created.
"""

from __future__ import annotations

import io

from django.core.files.base import ContentFile
from PIL import Image, ImageDraw

from core.persian import normalize, to_persian_digits
from places.models import Area, City, CityParticipationSettings, District, Neighborhood

# Each demo city's look: (public name, primary colour, accent colour).
LOOKS = {
    "tehran": ("شهرداری تهران", "#0b5c8a", "#b45309"),
    "kashan": ("شهرداری کاشان", "#1f6f50", "#a23b72"),
}
KASHAN_NEIGHBORHOODS = ["فین", "سلطان امیر احمد", "پشت مشهد"]


def demo_logo(primary: str, accent: str) -> ContentFile:
    """A plain round badge in the city's colours, drawn here so the demo needs no image files."""
    image = Image.new("RGB", (128, 128), "#ffffff")
    draw = ImageDraw.Draw(image)
    draw.ellipse((8, 8, 120, 120), fill=primary)
    draw.ellipse((44, 44, 84, 84), fill=accent)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return ContentFile(out.getvalue())


def _brand(city: City) -> None:
    """Give a demo city its public name, colours and a logo, once."""
    name, primary, accent = LOOKS[city.slug]
    if city.logo:
        return
    city.display_name, city.primary_color, city.accent_color = name, primary, accent
    city.logo.save(f"{city.slug}.png", demo_logo(primary, accent), save=False)
    city.save()


def _seed_kashan() -> None:
    """A second, small city: its own look, its own word list, Tehran's rules but post-moderation."""
    city, _ = City.objects.get_or_create(slug="kashan", defaults={"name": "کاشان"})
    _brand(city)
    CityParticipationSettings.objects.get_or_create(city=city, defaults={"moderation_policy": "post"})
    district, _ = District.objects.get_or_create(city=city, number=1, defaults={"name": "منطقه ۱"})
    area, _ = Area.objects.get_or_create(district=district, name_normalized="ناحیه 1", defaults={"name": "ناحیه ۱"})
    for name in KASHAN_NEIGHBORHOODS:
        Neighborhood.objects.get_or_create(
            district=district, name_normalized=normalize(name), defaults={"area": area, "name": name}
        )


NEIGHBORHOOD_WORDS = [
    "گلستان",
    "بهار",
    "نارون",
    "یاس",
    "اقاقیا",
    "لاله",
    "سرو",
    "چنار",
    "شقایق",
    "ارغوان",
    "مهر",
    "آزادی",
    "امید",
    "کوثر",
    "نسترن",
    "صنوبر",
]


def seed(stdout) -> None:
    city, _ = City.objects.get_or_create(slug="tehran", defaults={"name": "تهران"})
    count = 0
    for number in range(1, 23):
        district, _ = District.objects.get_or_create(
            city=city, number=number, defaults={"name": f"منطقه {to_persian_digits(number)}"}
        )
        areas_in_district = 2 + number % 3
        per_area = 16 // areas_in_district
        for a in range(1, areas_in_district + 1):
            area, _ = Area.objects.get_or_create(
                district=district,
                name_normalized=f"ناحیه {a}",
                defaults={"name": f"ناحیه {to_persian_digits(a)}"},
            )
            for n in range(per_area):
                word = NEIGHBORHOOD_WORDS[((a - 1) * per_area + n) % len(NEIGHBORHOOD_WORDS)]
                name = f"{word} {to_persian_digits(number)}"
                Neighborhood.objects.get_or_create(
                    district=district, name_normalized=normalize(name), defaults={"area": area, "name": name}
                )
                count += 1
    count += _same_names(city)
    _brand(city)
    _seed_kashan()
    stdout.write(
        f"Geography: Tehran (22 districts, {count} neighbourhoods) and Kashan "
        f"(1 district, {len(KASHAN_NEIGHBORHOODS)} neighbourhoods), each with its own colours and logo."
    )


# Real cities repeat neighbourhood names across districts; the pickers name each with its district.
SAME_NAME = "نارمک"


def _same_names(city: City) -> int:
    for number in (4, 8):
        area = Area.objects.filter(district__city=city, district__number=number).order_by("id").first()
        Neighborhood.objects.get_or_create(
            district=area.district, name_normalized=normalize(SAME_NAME), defaults={"area": area, "name": SAME_NAME}
        )
    return 2

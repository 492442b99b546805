"""Demo data: Tehran's 22 districts with their areas and neighbourhoods.

The district numbers are real; area and neighbourhood names are made up for
the demo (about 350 neighbourhoods, as in Tehran). Safe to run again: every
row is found by a stable key before it is created.
"""

from __future__ import annotations

from core.persian import normalize, to_persian_digits
from places.models import Area, City, District, Neighborhood

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
    stdout.write(f"Geography: 1 city, 22 districts, {count} neighbourhoods.")


# Real cities repeat neighbourhood names across districts; the pickers name each with its district.
SAME_NAME = "نارمک"


def _same_names(city: City) -> int:
    for number in (4, 8):
        area = Area.objects.filter(district__city=city, district__number=number).order_by("id").first()
        Neighborhood.objects.get_or_create(
            district=area.district, name_normalized=normalize(SAME_NAME), defaults={"area": area, "name": SAME_NAME}
        )
    return 2

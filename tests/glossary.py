"""The words GLOSSARY.md rules out, and the word each one gives way to.

One table for every check: the catalogues, the Persian text in code (demo
data, seed text) and what the admin crawl reads on each page. A pattern
matches the ruled-out word only, so «سازمان مردم‌نهاد» (the legal name of an
NGO) and agencies' own names («سازمان بوستان‌ها و فضای سبز») stay allowed.
"""

from __future__ import annotations

import re

RULED_OUT: dict[str, tuple[re.Pattern, str]] = {
    "password": (re.compile(r"گذرواژه"), "رمز عبور"),
    "mobile number": (re.compile(r"شماره(?:ٔ)? همراه"), "شمارهٔ تلفن همراه"),
    "trustee board": (re.compile(r"هیأت"), "هیئت"),
    "comment": (re.compile(r"دیدگاه"), "نظر"),
    "licence": (re.compile(r"مجوز"), "پروانهٔ فعالیت"),
    "filter": (re.compile(r"پالای"), "فیلتر"),
    "search": (re.compile(r"(?<![\w‌])بیاب(?![\w‌])"), "جست‌وجو"),
    "not found": (re.compile(r"جور نیست"), "یافت نشد"),
    "districts": (re.compile(r"منطقه‌ها(?:ی)?(?![\w‌])"), "مناطق"),
    "neighbourhoods": (re.compile(r"محله‌ها(?:ی)?(?![\w‌])"), "محلات"),
    "history": (re.compile(r"تاریخچه"), "سابقه"),
    "profile or file": (re.compile(r"پرونده"), "مشخصات / فایل"),
    "staff": (re.compile(r"کارمند"), "کارشناس شهرداری"),
    "by (calque)": (re.compile(r"(?<![\w‌])توسط(?![\w‌])"), "a rewritten sentence"),
    "organisation": (
        re.compile(r"سازمان(?!(?:‌های)? مردم‌نهاد)(?! بوستان‌ها)(?! بهزیستی)"),
        "تشکل مردمی",
    ),
}


def ruled_out_words(text: str) -> list[str]:
    """Each ruled-out word in ``text``, as «word» → «what the glossary says», with a little context."""
    found = []
    for concept, (pattern, preferred) in RULED_OUT.items():
        for match in pattern.finditer(text):
            context = text[max(0, match.start() - 20) : match.end() + 20].replace("\n", " ")
            found.append(f"{concept}: «{match.group(0)}» → «{preferred}» in …{context}…")
    return found

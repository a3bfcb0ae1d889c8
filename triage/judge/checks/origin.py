"""Checks on where the writer really is: phones and domain against the claimed country, Chinese clues."""

from __future__ import annotations

import re

from triage.judge.checks import check
from triage.judge.checks.sender import check_internal
from triage.judge.facts import Facts


def _phone_regions(f: Facts) -> set[str]:
    if "_phones" not in f._cache:
        f._cache["_phones"] = _phone_regions_of(f)
    return f._cache["_phones"]



_WRITTEN_PHONE = re.compile(r"\+\s?\d[\d\s().-]{6,}")



def _phone_regions_of(f: Facts) -> set[str]:
    """Countries of the writer's phone numbers, by their full number (+1 809 is the Dominican Republic)."""
    from triage.geo import phone_lib

    phonenumbers = phone_lib()

    phones = list(f.inquiry.phones)
    signature = f.field("signature")
    if "+" in signature:  # every number the pattern finds starts with a plus
        phones += _WRITTEN_PHONE.findall(signature)
    regions: set[str] = set()
    for ph in dict.fromkeys(p.strip() for p in phones):  # the found number, and as the signature writes it
        try:
            region = phonenumbers.region_code_for_number(phonenumbers.parse(ph, None))
        except phonenumbers.NumberParseException:
            continue
        if region and region not in ("ZZ", "001"):
            regions.add(region)
    return regions



def _cctld_country(f: Facts) -> str | None:
    cc = f.domain_info.get("cctld_country")
    if cc:
        return cc.upper()
    tld = (f.field("sender_domain") or "").rsplit(".", 1)[-1]
    if len(tld) == 2 and tld not in {"co", "io", "me", "tv", "ai", "cc"}:
        return {"uk": "GB"}.get(tld, tld.upper())
    return None



_NANP = {"US", "CA", "PR"}



def _same_country(a: str, b: str) -> bool:
    return a == b or (a in _NANP and b in _NANP)



@check("story_contradicts")
def _check_story(f: Facts) -> str | None:
    claimed = (f.inquiry.country or "").upper()
    if not claimed:
        return None
    clues = []
    cc = _cctld_country(f)
    if cc and not _same_country(cc, claimed):
        clues.append(f"domain .{cc.lower()}")
    for region in _phone_regions(f) - {"CN"}:
        if not _same_country(region, claimed):
            clues.append(f"phone of {region}")
    return f"claims {claimed}, but " + ", ".join(clues) if clues else None



_CN_PLACES = ("guangdong", "shenzhen", "dongguan", "yiwu", "ningbo", "cixi", "wenzhou", "yueqing", "zhejiang",
              "foshan", "zhongshan", "jiangmen", "xiamen", "suzhou", "shanghai", "guangzhou")



_CN_ADDRESS = re.compile(r"\b(" + "|".join(_CN_PLACES) + r")\b", re.I)



_ASCII_FOLDS = ("\u0131", "\u017f", "\u0130", "\u212a")  # ı ſ İ K: all re.I matches with an ASCII letter



def _cn_address(text: str) -> bool:
    """_CN_ADDRESS found in a lower-cased text. In one without the characters that re.I matches
    with ASCII letters (any ASCII text) it can only match where one of its places occurs as
    written, which plain substring tests rule out faster."""
    plain = text.isascii() or not any(map(text.__contains__, _ASCII_FOLDS))
    if plain and not any(map(text.__contains__, _CN_PLACES)):
        return False
    return _CN_ADDRESS.search(text) is not None



_CJK = re.compile("[\u4e00-\u9fff]{2,}")



_CJK_CHAR = re.compile("[\u4e00-\u9fff]")  # where any match of _CJK can start



@check("chinese_origin")
def _check_chinese_origin(f: Facts, min_clues: int = 1) -> str | None:
    """A sender who claims a foreign business but writes from a Chinese setup."""
    if "_cn" not in f._cache:
        f._cache["_cn"] = _chinese_clues(f)
    clues = f._cache["_cn"]
    return ", ".join(clues) if clues and len(clues) >= min_clues else None



_CN_MAILER = re.compile(r"foxmail|\[cn\]", re.I)



_IP_WORD = re.compile(r"\bip\b")



def _chinese_clues(f: Facts) -> list[str]:
    claimed = (f.inquiry.country or "").upper()
    if claimed in {"CN", "HK", "TW", "MO"} or check_internal(f):
        return []
    clues = []
    if _CN_MAILER.search(f.field("mailer")):
        clues.append(f"mailer {f.field('mailer')}")
    d = f.message.date
    if d is not None and d.utcoffset() is not None and d.utcoffset().total_seconds() == 8 * 3600 \
            and claimed not in {"SG", "MY", "PH", "AU"}:
        clues.append("Date at +0800")
    if "CN" in _phone_regions(f):
        clues.append("+86 phone in signature")
    if _cn_address(f.field("signature").lower()):
        clues.append("Chinese address in signature")
    text = f.lowered("text")[0] if f.lowered("text") else ""
    if "(cn)" in text and _IP_WORD.search(text) or _chinese_text(text, claimed):
        clues.append("Chinese IP or text")
    return clues



_KANA = re.compile("[\u3040-\u30ff]")



def _chinese_text(text: str, claimed: str) -> bool:
    """Chinese characters, unless the writer is Japanese (kana, or claims JP).
    An ASCII text (O(1) to tell) has neither, so the searches are skipped."""
    if text.isascii():
        return False
    first = _CJK_CHAR.search(text)  # a plain character class: re scans for it far faster than for _CJK
    if first is None or not _CJK.search(text, first.start()):
        return False
    return not (_KANA.search(text) or claimed == "JP")


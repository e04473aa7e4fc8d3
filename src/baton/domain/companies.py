"""Whether two leads are the same organisation: by company name, or by a company email domain."""

from __future__ import annotations

import re

from baton.domain.matching import bare_domain, fold, in_domain, looks_like_domain

# Words that say what kind of company it is, not which: "Acme Inc" is Acme.
LEGAL_SUFFIXES = frozenset({
    "ab", "ag", "as", "bv", "co", "company", "corp", "corporation", "gmbh", "inc",
    "incorporated", "kg", "kk", "limited", "llc", "llp", "ltd", "nv", "oy", "plc", "pty", "sa",
    "sarl", "sas", "spa", "srl",
})

# Addresses anyone can open: the domain says nothing about the organisation.
FREE_MAIL_DOMAINS = frozenset({
    "126.com", "163.com", "aol.com", "att.net", "btinternet.com", "comcast.net", "fastmail.com",
    "free.fr", "gmail.com", "gmx.com", "gmx.de", "gmx.net", "googlemail.com", "hey.com",
    "hotmail.co.uk", "hotmail.com", "hotmail.de", "hotmail.fr", "icloud.com", "laposte.net",
    "libero.it", "live.com", "mac.com", "mail.com", "mail.ru", "me.com", "msn.com", "naver.com",
    "orange.fr", "outlook.com", "outlook.de", "outlook.fr", "pm.me", "proton.me",
    "protonmail.com", "qq.com", "rediffmail.com", "sbcglobal.net", "t-online.de", "tutanota.com",
    "verizon.net", "web.de", "yahoo.co.jp", "yahoo.co.uk", "yahoo.com", "yahoo.de", "yahoo.fr",
    "yandex.com", "yandex.ru", "ymail.com", "zoho.com",
})


def company_key(name: str) -> str:
    """A company name as compared: "Acme, Inc.", "ACME inc" and "The Acme Corp." are all "acme"."""
    text = re.sub(r"[.'’]", "", fold(name).replace("&", " and "))  # S.A. is SA, O'Neil ONeil
    words = re.sub(r"\W+", " ", text).split()
    if len(words) > 1 and words[0] == "the":
        words = words[1:]
    while len(words) > 1 and words[-1] in LEGAL_SUFFIXES:
        words.pop()
        if len(words) > 1 and words[-1] == "and":  # "Smith & Co"
            words.pop()
    return " ".join(words)


def same_company(first: str, second: str) -> bool:
    """Whether two company names, as typed, name the same organisation."""
    key = company_key(first)
    return bool(key) and key == company_key(second)


def company_domain(email: str) -> str | None:
    """The domain of an email when it identifies an organisation; None for free mail or none."""
    _, at, domain = email.strip().rpartition("@")
    domain = bare_domain(domain) if at else ""
    if not looks_like_domain(domain):
        return None
    if any(in_domain(domain, free) for free in FREE_MAIL_DOMAINS):
        return None
    return domain


def identifies_company(email: str) -> bool:
    """Whether an email's domain says which organisation the person works for."""
    return company_domain(email) is not None

"""American Soundex, kept on CLIENT so a name search can find names that sound alike."""

from __future__ import annotations

_CODES = {
    **dict.fromkeys("BFPV", "1"),
    **dict.fromkeys("CGJKQSXZ", "2"),
    **dict.fromkeys("DT", "3"),
    "L": "4",
    **dict.fromkeys("MN", "5"),
    "R": "6",
}


def soundex(name: str) -> str:
    """The four-character Soundex code of a name ("Robert" and "Rupert" give R163)."""
    letters = [c for c in name.upper() if "A" <= c <= "Z"]
    if not letters:
        return ""
    first = letters[0]
    out = [first]
    previous = _CODES.get(first, "")
    for char in letters[1:]:
        code = _CODES.get(char, "")
        if code and code != previous:
            out.append(code)
            if len(out) == 4:
                break
        if char not in "HW":
            previous = code
    return "".join(out).ljust(4, "0")

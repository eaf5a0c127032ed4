"""Checks shared by every reader: is this text usable, and how to decode bytes."""
from __future__ import annotations

import codecs
import hashlib
import re
from typing import Optional

from hadath.ingest.model import IngestOptions

# Arabic-script letters (not digits, marks, punctuation or tatweel), base block,
# supplement, extended-A and the presentation forms.
_ARABIC_LETTER = re.compile(
    "[\u0620-\u063F\u0641-\u064A\u066E\u066F\u0671-\u06D3\u06D5\u06EE\u06EF\u06FA-\u06FC\u06FF"
    "\u0750-\u077F\u08A0-\u08C9\uFB50-\uFDFB\uFE70-\uFEFC]"
)
_LETTER = re.compile(r"[^\W\d_]")
_NON_ASCII = re.compile(r"[^\x00-\x7F]")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
_CHARSET = re.compile(rb"""charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE)

# Letters counted when judging the script of a long text: the first million
# characters say enough and keep the check fast.
_SAMPLE = 1_000_000


def human_size(n: int) -> str:
    """``52.4 MB``, ``5 MB``, ``12 KB``, ``800 bytes``."""
    if n >= 1_000_000:
        value, unit = n / 1_000_000, "MB"
    elif n >= 1_000:
        value, unit = n / 1_000, "KB"
    else:
        return f"{n} bytes"
    return f"{value:.1f}".rstrip("0").rstrip(".") + f" {unit}"


def too_large(size: int, limit: int, what: str = "article") -> str:
    return f"{what} too large: {human_size(size)} > {human_size(limit)} limit (raise --max-bytes)"


def stable_id(key: str) -> str:
    """Twelve hex digits naming ``key`` (a URL, a feed guid) the same way in every run."""
    return hashlib.sha1(key.encode("utf-8", "surrogatepass")).hexdigest()[:12]


def arabic_share(text: str) -> tuple[int, float]:
    """(number of letters, share of them that are Arabic) in ``text`` (sampled)."""
    sample = text[:_SAMPLE]
    letters = _LETTER.subn("", sample)[1]
    if not letters:
        return 0, 0.0
    return letters, _ARABIC_LETTER.subn("", sample)[1] / letters


def text_checks(text: str, options: IngestOptions) -> Optional[str]:
    """The reason ``text`` cannot be used as an article, or ``None`` when it can."""
    if not text:
        return "empty text"
    if not text.strip():
        return "only whitespace"
    if "\x00" in text:
        return "contains NUL characters (binary data?)"
    if len(text) > options.max_bytes // 4:        # only then can it be too large
        size = len(text.encode("utf-8", "surrogatepass"))
        if size > options.max_bytes:
            return too_large(size, options.max_bytes)
    letters, share = arabic_share(text)
    if not letters:
        return "no letters (not text)"
    if share < options.min_arabic_ratio:
        return f"not Arabic text ({share * 100:.0f}% Arabic letters)"
    return None


def clean_surrogates(text: str) -> str:
    """Lone surrogates (from JSON ``\\ud800`` escapes) become U+FFFD, one for one,
    so the text can always be encoded and offsets are unchanged."""
    if _LONE_SURROGATE.search(text):
        return _LONE_SURROGATE.sub("\ufffd", text)
    return text


def _looks_cp1256(text: str) -> bool:
    """Did decoding as Windows-1256 give mostly Arabic?  ASCII bytes decode the
    same either way, so only the non-ASCII characters are judged."""
    non_ascii = _NON_ASCII.findall(text[:_SAMPLE])
    if not non_ascii:
        return False
    arabic = sum(1 for ch in non_ascii if _ARABIC_LETTER.match(ch) or ch in " \u060C\u061B\u061F\u0640")
    return arabic / len(non_ascii) >= 0.7


def charset_of(content_type: Optional[str]) -> Optional[str]:
    """The ``charset`` of an HTTP ``Content-Type`` header, if any."""
    if not content_type:
        return None
    match = _CHARSET.search(content_type.encode("latin-1", "replace"))
    return match.group(1).decode("ascii", "replace") if match else None


def decode_bytes(data: bytes, *, html: bool = False,
                 declared: Optional[str] = None) -> tuple[Optional[str], Optional[str]]:
    """Decode an article's bytes: ``(text, None)`` or ``(None, reason)``.

    UTF-8 (a BOM is dropped), UTF-16 with a BOM, then the charset ``declared``
    by an HTTP header, for HTML a ``charset`` declared in the page, and last
    Windows-1256 if that yields mostly Arabic.
    """
    if not data:
        return None, "empty file"
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), None
        except UnicodeDecodeError:
            return None, "not UTF-16 text (despite its byte-order mark)"
    if b"\x00" in data:
        return None, "binary file (NUL bytes)"
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as err:
        first_error = err
    names = [declared] if declared else []
    if html:
        match = _CHARSET.search(data[:8192])
        if match:
            names.append(match.group(1).decode("ascii", "replace"))
    for name in names:
        try:
            codec = codecs.lookup(name).name
        except LookupError:
            continue
        if codec not in ("utf-8", "utf-16", "utf-32"):
            try:
                return data.decode(codec), None
            except (UnicodeDecodeError, LookupError):   # LookupError: "base64" is no text encoding
                pass
    try:
        text = data.decode("cp1256")
    except UnicodeDecodeError:
        text = None
    if text is not None and _looks_cp1256(text):
        return text, None
    return None, f"not UTF-8 text (invalid byte 0x{data[first_error.start]:02x} at offset {first_error.start})"

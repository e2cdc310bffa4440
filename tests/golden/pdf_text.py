"""Reading an exported PDF's text back with pypdf, as a PDF viewer would."""
from __future__ import annotations

import io

from pypdf import PdfReader
from pypdf.generic import NameObject


def pdf_reader(content: bytes) -> PdfReader:
    """A pypdf reader of `content` whose fonts all decode through their ToUnicode maps."""
    reader = PdfReader(io.BytesIO(content))
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            # When a font lacks a glyph (emoji here), WeasyPrint embeds an encoding CMap that is the identity
            # but for the missing glyphs; pypdf 7 cannot read it and returns raw codes. Read it as Identity-H:
            # the text then comes from the font's ToUnicode map, as in any PDF viewer.
            if not isinstance(font.get("/Encoding"), NameObject):
                font[NameObject("/Encoding")] = NameObject("/Identity-H")
    return reader


def pdf_pages(content: bytes) -> list[str]:
    """Each page's text with runs of white space made single (layout breaks lines where it needs)."""
    return [" ".join(page.extract_text().split()) for page in pdf_reader(content).pages]

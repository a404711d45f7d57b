"""The text a PDF shows, read by PDFium (pypdfium2, the reader pdfplumber itself depends on):
a report's pages in milliseconds, where pypdf's and pdfminer's text extraction, written in
Python, take half a second or more."""

import pypdfium2


def page_texts(pdf: bytes) -> list[str]:
    """Each page's text in the order it is drawn, its lines ending in "\\n"."""
    document = pypdfium2.PdfDocument(pdf)
    try:
        texts = []
        for page in document:
            textpage = page.get_textpage()
            texts.append(textpage.get_text_range().replace("\r\n", "\n").replace("\r", "\n"))
            textpage.close()
            page.close()
        return texts
    finally:
        document.close()


def pdf_text(pdf: bytes, separator: str = "\n") -> str:
    """The whole document's text, its pages joined by `separator`."""
    return separator.join(page_texts(pdf))


def squeezed_text(pdf: bytes) -> str:
    """The document's text with every run of white space made one space."""
    return " ".join(pdf_text(pdf).split())

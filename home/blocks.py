"""StreamField blocks shared by news and content pages."""

from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.contrib.table_block.blocks import TableBlock
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock

RICH_TEXT_FEATURES = ["h2", "h3", "bold", "italic", "ol", "ul", "link", "document-link", "hr", "blockquote"]


class CaptionedImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("image"))
    alt_text = blocks.CharBlock(label=_("alternative text"), help_text=_("Describe the image for screen readers."))
    caption = blocks.CharBlock(label=_("caption"), required=False)

    class Meta:
        icon = "image"
        template = "home/blocks/captioned_image.html"


class AttachmentBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("document"))
    title = blocks.CharBlock(label=_("link text"), required=False)

    class Meta:
        icon = "doc-full"
        template = "home/blocks/attachment.html"


class ContentStreamBlock(blocks.StreamBlock):
    paragraph = blocks.RichTextBlock(label=_("paragraph"), features=RICH_TEXT_FEATURES)
    image = CaptionedImageBlock(label=_("image"))
    document = AttachmentBlock(label=_("attachment"))
    table = TableBlock(label=_("table"), template="home/blocks/table.html")


def stream_plain_text(stream_value):
    """The readable text of a content stream (paragraphs, captions, link texts, table cells), for search."""
    parts = []
    for child in stream_value or []:
        value = child.value
        if child.block_type == "paragraph":
            parts.append(strip_tags(value.source if hasattr(value, "source") else str(value)))
        elif child.block_type == "image":
            parts.extend(filter(None, [value.get("alt_text"), value.get("caption")]))
        elif child.block_type == "document":
            parts.append(value.get("title") or (value["document"].title if value.get("document") else ""))
        elif child.block_type == "table" and value:
            for row in value.get("data") or []:
                parts.extend(str(cell) for cell in row if cell)
    return "\n".join(part.strip() for part in parts if part and part.strip())

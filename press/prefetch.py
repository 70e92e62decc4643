"""Resolve the bodies of a whole page of releases at once.

Left alone, each release's StreamField resolves its own image chooser values (one query per
release) and each image looks up its renditions (one cache or database round trip per image),
so a listing grows in queries with every release on it. Here the raw block data of all releases
is converted per block type in one go: one query for every image on the page and one for all
their renditions, however many releases the page holds.
"""

from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Prefetch, prefetch_related_objects
from wagtail.blocks import StreamValue
from wagtail.images import get_image_model

from .conf import press_setting


def rendition_specs() -> list[str]:
    return [f"width-{w}" for w in press_setting("IMAGE_WIDTHS")]


def images_prefetch_renditions(*, images: Iterable, specs: list[str] | None = None) -> None:
    """Attach the srcset renditions to each image, so `get_renditions` finds them in memory."""
    images = [image for image in images if image is not None]
    if not images:
        return
    rendition_model = get_image_model().get_rendition_model()
    prefetch_related_objects(
        images,
        Prefetch(
            "renditions",
            queryset=rendition_model.objects.filter(filter_spec__in=specs or rendition_specs()),
            to_attr="prefetched_renditions",
        ),
    )


def _images_in(value) -> Iterable:
    """Images held by a block value (the image block's StructValue keeps one under "image")."""
    image_model = get_image_model()
    if isinstance(value, image_model):
        yield value
    elif hasattr(value, "get") and isinstance(value.get("image"), image_model):
        yield value["image"]


def releases_prefetch_body(*, releases: Iterable, renditions: bool = True) -> None:
    """Turn the raw body data of all `releases` into block values with a constant number of queries.

    Mirrors what `StreamValue._prefetch_blocks` does for one stream, across many streams: each
    block type's `bulk_to_python` gets the values of every release at once. `renditions=False`
    for readers that link only the originals (the text version).
    """
    pending = defaultdict(list)  # block type -> [(stream value, index, raw value)]
    for release in releases:
        stream = release.body
        if not isinstance(stream, StreamValue) or not stream.is_lazy:
            continue
        for index, raw in enumerate(stream._raw_data):
            if stream._bound_blocks[index] is None and raw is not None:
                pending[raw["type"]].append((stream, index, raw))

    images = []
    for block_type, items in pending.items():
        stream_block = items[0][0].stream_block
        child_block = stream_block.child_blocks.get(block_type)
        if child_block is None:  # a block type the model no longer has: leave it to Wagtail
            continue
        values = child_block.bulk_to_python([raw["value"] for _stream, _index, raw in items])
        for (stream, index, raw), value in zip(items, values, strict=True):
            stream._bound_blocks[index] = StreamValue.StreamChild(
                child_block, value, id=raw.get("id")
            )
            images.extend(_images_in(value))
    if renditions:
        images_prefetch_renditions(images=images)
